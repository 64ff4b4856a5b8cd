import PetrelAnalytics
import PetrelCore
import PetrelRuntime

extension TradeOutcome {
    /// A kernel's closed round trip as the statistics see it: net P&L and fees as `Double`.
    public init(_ trade: ClosedTrade) {
        self.init(
            entryTime: trade.entryTime, exitTime: trade.exitTime, pnl: trade.netPnL.doubleValue,
            returnFraction: trade.returnFraction, fees: trade.fees.doubleValue, isLong: trade.direction == "long",
            symbol: trade.symbol.description)
    }
}
