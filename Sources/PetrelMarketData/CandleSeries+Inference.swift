import PetrelCore

extension CandleSeries {
    /// The timeframe whose length is the most common step between consecutive candles.
    ///
    /// Steps of 28 to 31 days between month starts count for `1M`. Ties go to the shorter timeframe.
    /// - Parameter candles: candles in file order.
    /// - Returns: the timeframe, or `nil` with fewer than two candles or when no step matches one.
    /// - Complexity: O(n), no allocation.
    public static func inferTimeframe(_ candles: [Candle]) -> Timeframe? {
        guard candles.count >= 2 else { return nil }
        let cases = Timeframe.allCases
        var votes = [Int](repeating: 0, count: cases.count)
        let monthIndex = cases.firstIndex(of: .month1) ?? 0
        let day: Int64 = 86_400_000
        candles.withUnsafeBufferPointer { buffer in
            var previous = buffer[0].timestamp
            var lastStep: Int64 = 0
            var lastMatch = -1
            for index in 1..<buffer.count {
                let current = buffer[index].timestamp
                let step = current - previous
                previous = current
                if step == lastStep, lastMatch >= 0, lastMatch != monthIndex {
                    votes[lastMatch] += 1
                } else if let match = cases.firstIndex(where: { $0 != .month1 && $0.milliseconds == step }) {
                    votes[match] += 1
                    lastStep = step
                    lastMatch = match
                } else if step >= 28 * day, step <= 31 * day, step % day == 0,
                    Timeframe.month1.bucketStart(containing: current) == current
                {
                    votes[monthIndex] += 1
                }
            }
        }
        var best: Int?
        for index in votes.indices where votes[index] > 0 {
            if let current = best, votes[current] >= votes[index] { continue }
            best = index
        }
        return best.map { cases[$0] }
    }

    /// What a file name says about its contents.
    public struct FileNameInfo: Sendable, Hashable {
        /// The exchange, e.g. `binance` (only in `exchange_SYMBOL_timeframe_period` names).
        public var exchange: String?
        /// The symbol, e.g. `BTC/USDT`.
        public var symbol: Symbol?
        /// The timeframe, e.g. `1m`.
        public var timeframe: Timeframe?

        /// Creates the information (all `nil` by default).
        /// - Parameters:
        ///   - exchange: the exchange name.
        ///   - symbol: the symbol.
        ///   - timeframe: the timeframe.
        public init(exchange: String? = nil, symbol: Symbol? = nil, timeframe: Timeframe? = nil) {
            self.exchange = exchange
            self.symbol = symbol
            self.timeframe = timeframe
        }
    }

    /// Reads exchange, symbol and timeframe from a file name.
    ///
    /// Two patterns are recognised, after dropping `.gz`, `.csv` and `.pcandles`:
    /// `exchange_SYMBOL_timeframe_period` (`binance_BTCUSDT_1m_2024-01.csv`, Petrel's shared data) and
    /// Binance's archive names `SYMBOL-timeframe-period` (`BTCUSDT-1m-2023-01-21.csv`).
    /// - Parameter fileName: the last path component.
    /// - Returns: what could be read; fields that do not parse stay `nil`.
    public static func fileNameInfo(_ fileName: String) -> FileNameInfo {
        var stem = Substring(fileName)
        for suffix in [".gz", ".csv", ".pcandles", ".txt"] where stem.lowercased().hasSuffix(suffix) {
            stem = stem.dropLast(suffix.count)
        }
        var info = FileNameInfo()
        let underscored = stem.split(separator: "_", omittingEmptySubsequences: false)
        if underscored.count >= 3 {
            info.exchange = String(underscored[0]).lowercased()
            info.symbol = try? Symbol(parsing: String(underscored[1]))
            info.timeframe = Timeframe(rawValue: String(underscored[2]))
            if info.symbol != nil || info.timeframe != nil { return info }
            info.exchange = nil
        }
        let dashed = stem.split(separator: "-", omittingEmptySubsequences: false)
        if dashed.count >= 2, let timeframe = Timeframe(rawValue: String(dashed[1])) {
            info.symbol = try? Symbol(parsing: String(dashed[0]))
            info.timeframe = timeframe
        }
        return info
    }
}
