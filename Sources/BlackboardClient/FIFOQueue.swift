/// A first-in first-out queue with O(1) amortised append and removal at the
/// front: the replies a connection still waits for, in command order.
struct FIFOQueue<Element> {
    private var storage: [Element?] = []
    private var head = 0

    /// Whether the queue is empty.
    var isEmpty: Bool { head == storage.count }

    /// The number of elements.
    var count: Int { storage.count - head }

    /// Adds `element` at the back.
    mutating func append(_ element: Element) {
        storage.append(element)
    }

    /// Removes and returns the front element.
    mutating func popFirst() -> Element? {
        guard head < storage.count else { return nil }
        let element = storage[head].take()
        head += 1
        if head == storage.count {
            storage.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 64 && head * 2 >= storage.count {
            storage.removeFirst(head)
            head = 0
        }
        return element
    }

    /// Puts `elements` in front of the queue, in their order.
    mutating func prepend(contentsOf elements: [Element]) {
        storage = elements.map(Optional.some) + storage[head...]
        head = 0
    }

    /// Removes and returns every element, front first.
    mutating func removeAll() -> [Element] {
        let elements = storage[head...].compactMap { $0 }
        storage.removeAll(keepingCapacity: true)
        head = 0
        return elements
    }
}

extension FIFOQueue: Sendable where Element: Sendable {}
