import XCTest
@testable import Jobs
@testable import Reports

final class InputStatusTests: XCTestCase {
    func testFinishedStates() {
        XCTAssertEqual(InputStatus.allCases.filter(\.isFinished), [.done, .partial, .failed])
    }

    func testCSVQuoting() {
        XCTAssertEqual(CSVField.escape("plain"), "plain")
        XCTAssertEqual(CSVField.escape("a,b"), "\"a,b\"")
        XCTAssertEqual(CSVField.escape("say \"hi\""), "\"say \"\"hi\"\"\"")
    }
}
