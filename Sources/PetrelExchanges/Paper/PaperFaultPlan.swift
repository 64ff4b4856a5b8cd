import PetrelRuntime

/// Faults to inject into a paper exchange, written as text so that a fault drill can be run against
/// the real binary: `submit=timeout_after_accept,cancel=timeout_before_accept` (each entry makes the
/// next call of that operation fail once; entries for one operation are used in the order given).
///
/// `petrel bot run` reads it from `PETREL_PAPER_FAULTS`; it only ever applies to paper brokers.
public struct PaperFaultPlan: Sendable, Hashable {
    /// One fault for one operation.
    public struct Entry: Sendable, Hashable {
        public var operation: PaperOperation
        public var fault: PaperFault
        /// The name the fault was written with.
        public var name: String
    }

    /// The faults by name, with what each does.
    public static let faultNames: [(name: String, fault: PaperFault)] = [
        ("timeout_after_accept", .timeoutAfterAccept),
        ("timeout_before_accept", .timeoutBeforeAccept),
        ("unavailable", .retryableBeforeAccept),
        ("rate_limited", .rateLimited(1_000)),
    ]

    public var entries: [Entry]

    /// Parses `operation=fault[,operation=fault…]`; blanks around entries are ignored.
    /// - Throws: ``PaperFaultPlanError`` naming the entry and the allowed operations or faults.
    public init(parsing text: String) throws(PaperFaultPlanError) {
        var entries: [Entry] = []
        for raw in text.split(separator: ",", omittingEmptySubsequences: false) {
            let entry = raw.trimmingSpaces
            guard !entry.isEmpty else { throw .emptyEntry }
            let parts = entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { throw .malformed(entry) }
            let operationName = parts[0].trimmingSpaces
            let faultName = parts[1].trimmingSpaces
            guard let operation = PaperOperation(rawValue: operationName) else {
                throw .unknownOperation(entry: entry, operation: operationName)
            }
            guard let fault = Self.faultNames.first(where: { $0.name == faultName })?.fault else {
                throw .unknownFault(entry: entry, fault: faultName)
            }
            entries.append(Entry(operation: operation, fault: fault, name: faultName))
        }
        self.entries = entries
    }

    /// Queues every entry on `exchange`.
    public func inject(into exchange: PaperExchange) async {
        for entry in entries { await exchange.inject(entry.fault, on: entry.operation) }
    }

    /// `operation=fault` entries, as parsed.
    public var summary: String { entries.map { "\($0.operation.rawValue)=\($0.name)" }.joined(separator: ",") }
}

/// A fault plan that could not be parsed.
public enum PaperFaultPlanError: Error, Sendable, Hashable, CustomStringConvertible {
    case emptyEntry
    case malformed(String)
    case unknownOperation(entry: String, operation: String)
    case unknownFault(entry: String, fault: String)

    public var description: String {
        let operations = PaperOperation.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        let faults = PaperFaultPlan.faultNames.map { "'\($0.name)'" }.joined(separator: ", ")
        switch self {
        case .emptyEntry:
            return "an empty entry: write operation=fault entries separated by commas"
        case .malformed(let entry):
            return "'\(entry)' is not operation=fault (operations: \(operations); faults: \(faults))"
        case .unknownOperation(let entry, let operation):
            return "'\(entry)': operation '\(operation)' is not one of \(operations)"
        case .unknownFault(let entry, let fault):
            return "'\(entry)': fault '\(fault)' is not one of \(faults)"
        }
    }
}

extension Substring {
    fileprivate var trimmingSpaces: String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
