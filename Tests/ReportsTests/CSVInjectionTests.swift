import XCTest
@testable import Reports

/// OWASP CSV injection: text that a spreadsheet would run as a formula is neutralised; numbers stay
/// numbers; RFC 4180 quoting still holds.
final class CSVInjectionTests: XCTestCase {
    func testFormulaStartsAreNeutralisedAndQuoted() {
        XCTAssertEqual(CSVField.escape("=HYPERLINK(\"http://x\",\"y\")"), "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"")
        XCTAssertEqual(CSVField.escape("+1+cmd|' /C calc'!A0"), "\"'+1+cmd|' /C calc'!A0\"")
        XCTAssertEqual(CSVField.escape("-2+3"), "\"'-2+3\"")
        XCTAssertEqual(CSVField.escape("@SUM(A1)"), "\"'@SUM(A1)\"")
        XCTAssertEqual(CSVField.escape("\t=1"), "\"'\t=1\"")
        XCTAssertEqual(CSVField.escape("\r=1"), "\"'\r=1\"")
    }

    func testNumbersAndOrdinaryTextAreUnchanged() {
        for number in ["-12.5", "+3", "-0.000001", "1e-05", "-1.5E+10", "42", "0.600000"] {
            XCTAssertEqual(CSVField.escape(number), number)
        }
        XCTAssertEqual(CSVField.escape("Lin-Manuel Miranda"), "Lin-Manuel Miranda")
        XCTAssertEqual(CSVField.escape("a,b"), "\"a,b\"")
        XCTAssertEqual(CSVField.escape(""), "")
        XCTAssertEqual(CSVField.escape("-"), "\"'-\"", "a lone sign is not a number")
        XCTAssertEqual(CSVField.escape("-1-"), "\"'-1-\"")
        XCTAssertEqual(CSVField.escape("1e"), "1e", "not a formula start: left alone")
    }

    func testAHostileIdentityNameInHitsCSV() throws {
        var bundle = Fixtures.bundle()
        bundle.hits[0].identityName = "=cmd|' /C calc'!A0"
        bundle.hits[0].externalID = "@evil"
        let csv = CSVReportWriter().render(bundle)
        XCTAssertTrue(csv.contains(",\"'=cmd|' /C calc'!A0\","), csv)
        XCTAssertTrue(csv.contains(",\"'@evil\","), csv)
        XCTAssertFalse(csv.contains(",=cmd"), csv)
    }
}
