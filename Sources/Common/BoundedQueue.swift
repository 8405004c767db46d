import Foundation

/// A blocking FIFO with a fixed capacity between two pipeline stages: the producer waits when it
/// is full, so a fast decoder never runs ahead of the engine and memory stays flat however long
/// the recording. Either side may close it; a producer error travels to the consumer. Also the
/// request queue of the REST API's work pool.
public final class BoundedQueue<Element>: @unchecked Sendable {
    private let condition = NSCondition()
    /// Elements from `head` on are held; popped slots are emptied at once, so the queue never
    /// keeps a popped element alive (a decoded frame's buffer must be free to reuse).
    private var items: [Element?] = []
    private var head = 0
    private let capacity: Int
    private var closed = false
    private var failure: Error?
    /// Told +1 for every element pushed and -1 for every one popped or dropped (a gauge's deltas).
    private let depthChanged: (@Sendable (Int) -> Void)?

    /// A queue holding at most `capacity` elements. `depthChanged` (for a queue-depth gauge) is
    /// told each change of the number of elements held: +1 per push, -1 per pop, and minus what
    /// is still held when the queue goes away, so several queues can share one gauge.
    public init(capacity: Int, depthChanged: (@Sendable (Int) -> Void)? = nil) {
        self.capacity = max(1, capacity)
        self.depthChanged = depthChanged
    }

    deinit {
        let held = items.count - head
        if held > 0 { depthChanged?(-held) }
    }

    /// Waits for room; returns false when the queue was closed (the consumer gave up).
    public func push(_ element: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while items.count - head >= capacity && !closed { condition.wait() }
        guard !closed else { return false }
        items.append(element)
        depthChanged?(1)
        condition.broadcast()
        return true
    }

    /// Waits for an element; nil once closed and drained. Rethrows the producer's error.
    public func pop() throws -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while head == items.count && !closed { condition.wait() }
        if head < items.count, let e = items[head] {
            items[head] = nil
            head += 1
            depthChanged?(-1)
            if head > 64 && head * 2 > items.count {
                items.removeFirst(head)
                head = 0
            }
            condition.broadcast()
            return e
        }
        if let failure { throw failure }
        return nil
    }

    /// Ends the stream (with an error for the consumer, if given) and wakes both sides.
    public func close(_ error: Error? = nil) {
        condition.lock()
        if failure == nil { failure = error }
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}
