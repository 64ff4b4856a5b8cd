/// ``PortfolioSettingsStore`` in memory: the reference implementation for tests and dry runs.
public actor InMemoryPortfolioSettingsStore: PortfolioSettingsStore {
    var stored: [String: PortfolioSettingsRecord] = [:]

    /// Creates an empty store.
    public init() {}

    public func load(bot: String) throws(StorageError) -> PortfolioSettingsRecord? { stored[bot] }

    public func save(_ record: PortfolioSettingsRecord) throws(StorageError) {
        guard !record.riskTolerance.isNaN, !record.minConfidence.isNaN else {
            throw .storage("saving the settings of bot \(record.botID): NaN cannot be stored; nothing was written")
        }
        stored[record.botID] = record
    }
}
