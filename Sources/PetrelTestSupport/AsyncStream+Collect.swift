/// Reads the first `count` elements of a stream, giving up after `milliseconds` of real time (a
/// deadline for a test that would otherwise hang, not a wait for something to happen).
/// - Parameters:
///   - count: how many elements to read.
///   - stream: the stream; it is not finished when all elements arrive in time.
///   - milliseconds: the deadline.
/// - Returns: the elements read, fewer than `count` when the stream ended or the deadline passed.
public func firstElements<Element: Sendable>(
    _ count: Int, of stream: AsyncStream<Element>, within milliseconds: Int = 5_000
) async -> [Element] {
    await withTaskGroup(of: [Element]?.self) { group in
        group.addTask {
            var elements: [Element] = []
            for await element in stream {
                elements.append(element)
                if elements.count == count { break }
            }
            return elements
        }
        group.addTask {
            try? await Task.sleep(for: .milliseconds(milliseconds))
            return nil
        }
        var result: [Element] = []
        for await outcome in group {
            if let outcome {
                result = outcome
                break
            }
            // The deadline passed first: stop reading (this ends the stream).
            group.cancelAll()
        }
        group.cancelAll()
        return result
    }
}
