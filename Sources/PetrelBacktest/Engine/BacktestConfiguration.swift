import PetrelCore
import PetrelMarketData
import PetrelRuntime

/// How a backtest is run: money, costs, risk and sizing.
public struct BacktestConfiguration: Sendable {
    /// Starting cash in the quote asset.
    public var initialBalance: Money
    public var costs: ExecutionCosts
    public var risk: RiskSettings
    public var sizing: PositionSizing
    /// Whether short entries are taken.
    public var allowShort: Bool
    /// Points kept in the result's equity curve (statistics always use every bar).
    public var equityCurvePoints: Int
    /// Journal entries kept (signals, skips, state changes); later ones are counted, not kept.
    public var journalLimit: Int

    public init(
        initialBalance: Money, costs: ExecutionCosts = ExecutionCosts(), risk: RiskSettings = .none,
        sizing: PositionSizing = .percentOfEquity(1), allowShort: Bool = false, equityCurvePoints: Int = 2_000,
        journalLimit: Int = 10_000
    ) {
        self.initialBalance = initialBalance
        self.costs = costs
        self.risk = risk
        self.sizing = sizing
        self.allowShort = allowShort
        self.equityCurvePoints = equityCurvePoints
        self.journalLimit = journalLimit
    }
}

/// One market of a backtest: its candles and trading rules.
///
/// The candles are either an array or a range of a memory-mapped binary candle file (no copy);
/// the engine reads both through ``withCandles(_:)``.
public struct BacktestMarket: Sendable {
    enum Storage: Sendable {
        case array([Candle])
        case mapped(MappedCandleFile, Range<Int>)
    }

    public var rules: InstrumentRules
    public var timeframe: Timeframe
    var storage: Storage

    public init(rules: InstrumentRules, timeframe: Timeframe, candles: [Candle]) {
        self.rules = rules
        self.timeframe = timeframe
        self.storage = .array(candles)
    }

    /// A market over `range` of a mapped file's candles, used in place.
    public init(rules: InstrumentRules, timeframe: Timeframe, mapped file: MappedCandleFile, range: Range<Int>) {
        self.rules = rules
        self.timeframe = timeframe
        self.storage = .mapped(file, range.clamped(to: 0..<file.candles.count))
    }

    public var symbol: Symbol { rules.symbol }

    /// The candles as an array (a copy for a mapped file: use ``withCandles(_:)`` on hot paths).
    public var candles: [Candle] {
        get {
            switch storage {
            case .array(let candles): return candles
            case .mapped(let file, let range): return Array(file.candles[range])
            }
        }
        set { storage = .array(newValue) }
    }

    public var count: Int {
        switch storage {
        case .array(let candles): return candles.count
        case .mapped(_, let range): return range.count
        }
    }

    public var first: Candle? { count == 0 ? nil : withCandles { $0[0] } }
    public var last: Candle? { count == 0 ? nil : withCandles { $0[$0.count - 1] } }

    /// Calls `body` with the candles in place.
    public func withCandles<R, E: Error>(_ body: (UnsafeBufferPointer<Candle>) throws(E) -> R) throws(E) -> R {
        switch storage {
        case .array(let candles):
            return try candles.withUnsafeBufferPointer { (buffer) throws(E) -> R in try body(buffer) }
        case .mapped(let file, let range):
            return try withExtendedLifetime(file) { () throws(E) -> R in
                try body(UnsafeBufferPointer(rebasing: file.candles[range]))
            }
        }
    }
}

/// Why a backtest could not run.
public enum BacktestError: Error, Sendable, CustomStringConvertible {
    case noMarkets
    case emptyData(Symbol)
    case mixedTimeframes([String])
    case duplicateSymbol(Symbol)
    case kernel(KernelError)
    case strategy(String)
    case invalidConfiguration(String)

    public var description: String {
        switch self {
        case .noMarkets: return "a backtest needs at least one data file"
        case .emptyData(let symbol): return "no candles for \(symbol) in the selected range"
        case .mixedTimeframes(let frames):
            return "all data files of one backtest must share a timeframe; got \(frames.joined(separator: ", "))"
        case .duplicateSymbol(let symbol): return "\(symbol) is given twice"
        case .kernel(let error): return error.description
        case .strategy(let message): return message
        case .invalidConfiguration(let message): return message
        }
    }
}
