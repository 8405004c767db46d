import Common
import XCTest

/// The blocking queue between pipeline stages: order, capacity, close, and that it holds nothing
/// it has handed on.
final class BoundedQueueTests: XCTestCase {
    private final class Item {}

    /// A popped element is referenced by the consumer only: a decoded frame's buffer goes back to
    /// the decoder for reuse once the pipeline is done with it, and a buffer the queue still held
    /// would be copied instead.
    func testPoppedElementsAreNotKeptAlive() throws {
        let queue = BoundedQueue<Item>(capacity: 4)
        weak var first: Item?
        weak var second: Item?
        do {
            let a = Item(), b = Item()
            first = a
            second = b
            XCTAssertTrue(queue.push(a))
            XCTAssertTrue(queue.push(b))
        }
        XCTAssertNotNil(first, "held while queued")
        do {
            let popped = try queue.pop()
            XCTAssertTrue(popped === first)
        }
        XCTAssertNil(first, "released once popped and dropped")
        XCTAssertNotNil(second, "the next one is still queued")
    }

    func testElementsComeOutInOrderAndCloseEndsTheStream() throws {
        let queue = BoundedQueue<Int>(capacity: 3)
        let producer = Thread {
            for i in 0..<200 { _ = queue.push(i) }
            queue.close()
        }
        producer.start()
        var seen: [Int] = []
        while let i = try queue.pop() { seen.append(i) }
        XCTAssertEqual(seen, Array(0..<200))
    }
}
