import PetrelCore
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
public struct BacktestMarket: Sendable {
    public var rules: InstrumentRules
    public var timeframe: Timeframe
    public var candles: [Candle]

    public init(rules: InstrumentRules, timeframe: Timeframe, candles: [Candle]) {
        self.rules = rules
        self.timeframe = timeframe
        self.candles = candles
    }

    public var symbol: Symbol { rules.symbol }
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
