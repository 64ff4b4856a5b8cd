import PetrelCore

extension IndicatorSpec {
    /// Evaluates the indicator over a candle series.
    /// - Parameter candles: the bars, oldest first.
    /// - Returns: one array per entry of ``columnNames`` (same order), each exactly
    ///   `candles.count` long, `nil` where the indicator has no value yet. SuperTrend's
    ///   direction column is `1` for an uptrend and `-1` for a downtrend.
    /// - Complexity: O(n) updates (O(n · period) for CCI).
    public func compute(_ candles: [Candle]) -> [[Double?]] {
        switch configuration {
        case .sma(let period): return [Self.column(SMA(period: period), candles)]
        case .ema(let period): return [Self.column(EMA(period: period), candles)]
        case .wma(let period): return [Self.column(WMA(period: period), candles)]
        case .rsi(let period): return [Self.column(RSI(period: period), candles)]
        case .macd(let fast, let slow, let signal):
            return Self.columns(
                MACD(fast: fast, slow: slow, signal: signal), candles, [\.macd, \.signal, \.histogram])
        case .bollingerBands(let period, let deviations):
            return Self.columns(
                BollingerBands(period: period, deviations: deviations), candles, [\.upper, \.middle, \.lower])
        case .atr(let period): return [Self.column(ATR(period: period), candles)]
        case .stochastic(let fastK, let slowK, let slowD):
            return Self.columns(
                Stochastic(fastKPeriod: fastK, slowKPeriod: slowK, slowDPeriod: slowD), candles, [\.k, \.d])
        case .adx(let period):
            return Self.columns(ADX(period: period), candles, [\.adx, \.plusDI, \.minusDI])
        case .cci(let period): return [Self.column(CCI(period: period), candles)]
        case .roc(let period): return [Self.column(ROC(period: period), candles)]
        case .williamsR(let period): return [Self.column(WilliamsR(period: period), candles)]
        case .obv: return [Self.column(OBV(), candles)]
        case .vwap(let period): return [Self.column(VWAP(period: period), candles)]
        case .sessionVWAP(let length): return [Self.column(VWAP(sessionLengthMs: length), candles)]
        case .volumeSMA(let period): return [Self.column(VolumeSMA(period: period), candles)]
        case .donchian(let period):
            return Self.columns(DonchianChannels(period: period), candles, [\.upper, \.middle, \.lower])
        case .keltner(let period, let multiplier, let atrPeriod):
            return Self.columns(
                KeltnerChannels(period: period, multiplier: multiplier, atrPeriod: atrPeriod), candles,
                [\.upper, \.middle, \.lower])
        case .ichimoku(let tenkan, let kijun, let senkouB, let displacement):
            return Self.columns(
                Ichimoku(tenkan: tenkan, kijun: kijun, senkouB: senkouB, displacement: displacement), candles,
                [\.tenkan, \.kijun, \.senkouA, \.senkouB, \.chikou])
        case .superTrend(let period, let multiplier):
            return Self.columns(
                SuperTrend(period: period, multiplier: multiplier), candles, [\.value, \.direction])
        case .standardDeviation(let period): return [Self.column(StandardDeviation(period: period), candles)]
        case .logReturnVolatility(let period, let periodsPerYear):
            return [Self.column(LogReturnVolatility(period: period, periodsPerYear: periodsPerYear), candles)]
        }
    }

    func indicatorWarmUpPeriod() -> Int {
        switch configuration {
        case .sma(let period): return SMA(period: period).warmUpPeriod
        case .ema(let period): return EMA(period: period).warmUpPeriod
        case .wma(let period): return WMA(period: period).warmUpPeriod
        case .rsi(let period): return RSI(period: period).warmUpPeriod
        case .macd(let fast, let slow, let signal): return MACD(fast: fast, slow: slow, signal: signal).warmUpPeriod
        case .bollingerBands(let period, let deviations):
            return BollingerBands(period: period, deviations: deviations).warmUpPeriod
        case .atr(let period): return ATR(period: period).warmUpPeriod
        case .stochastic(let fastK, let slowK, let slowD):
            return Stochastic(fastKPeriod: fastK, slowKPeriod: slowK, slowDPeriod: slowD).warmUpPeriod
        case .adx(let period): return ADX(period: period).warmUpPeriod
        case .cci(let period): return CCI(period: period).warmUpPeriod
        case .roc(let period): return ROC(period: period).warmUpPeriod
        case .williamsR(let period): return WilliamsR(period: period).warmUpPeriod
        case .obv: return OBV().warmUpPeriod
        case .vwap(let period): return VWAP(period: period).warmUpPeriod
        case .sessionVWAP(let length): return VWAP(sessionLengthMs: length).warmUpPeriod
        case .volumeSMA(let period): return VolumeSMA(period: period).warmUpPeriod
        case .donchian(let period): return DonchianChannels(period: period).warmUpPeriod
        case .keltner(let period, let multiplier, let atrPeriod):
            return KeltnerChannels(period: period, multiplier: multiplier, atrPeriod: atrPeriod).warmUpPeriod
        case .ichimoku(let tenkan, let kijun, let senkouB, let displacement):
            return Ichimoku(tenkan: tenkan, kijun: kijun, senkouB: senkouB, displacement: displacement).warmUpPeriod
        case .superTrend(let period, let multiplier):
            return SuperTrend(period: period, multiplier: multiplier).warmUpPeriod
        case .standardDeviation(let period): return StandardDeviation(period: period).warmUpPeriod
        case .logReturnVolatility(let period, let periodsPerYear):
            return LogReturnVolatility(period: period, periodsPerYear: periodsPerYear).warmUpPeriod
        }
    }

    static func column<I: CandleIndicator>(_ indicator: I, _ candles: [Candle]) -> [Double?] where I.Output == Double {
        indicator.batch(candles)
    }

    static func columns<I: CandleIndicator>(
        _ indicator: I, _ candles: [Candle], _ fields: [KeyPath<I.Output, Double>]
    ) -> [[Double?]] {
        let outputs = indicator.batch(candles)
        return fields.map { field in outputs.map { $0?[keyPath: field] } }
    }
}

extension SuperTrend.Value {
    /// `1` in an uptrend, `-1` in a downtrend: the catalog's direction column.
    var direction: Double { isUptrend ? 1 : -1 }
}
