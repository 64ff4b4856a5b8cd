import Foundation
import PetrelCore
import Testing

@testable import PetrelMarketData

@Suite("Synthetic market generator")
struct SyntheticMarketTests {
    static let long = SyntheticMarket.Configuration(
        seed: 7, symbol: try? Symbol(parsing: "SYN/USDT"), timeframe: .m15, count: 35_040)

    @Test("the same seed gives identical candles and another seed different ones")
    func deterministic() {
        let configuration = SyntheticMarket.Configuration(seed: 42, count: 2_000)
        let first = SyntheticMarket.generate(configuration)
        let second = SyntheticMarket.generate(configuration)
        #expect(first == second)
        var other = configuration
        other.seed = 43
        #expect(SyntheticMarket.generate(other).candles != first.candles)
        #expect(first.source == "synthetic(seed: 42)")
    }

    @Test("pins the output of seed 42 so that any platform or version drift is caught")
    func pinned() throws {
        let series = SyntheticMarket.generate(SyntheticMarket.Configuration(seed: 42, count: 2_000))
        #expect(
            series.candles[1]
                == (try Helpers.candle(
                    1_704_067_260_000, "30015.15", "30024.11", "30004.09", "30024.11", "7.20799")))
        #expect(
            series.candles[1_999]
                == (try Helpers.candle(
                    1_704_187_140_000, "29752.66", "29765.38", "29751.46", "29765.26", "7.95388")))
        #expect(series.candles.reduce(FixedPoint.zero) { $0 + $1.volume } == (try Quantity(parsing: "16536.02836")))
    }

    @Test("every candle is possible, on the tick grid, and continues from the previous close")
    func valid() throws {
        let (series, regimes) = SyntheticMarket.generateWithRegimes(Self.long)
        #expect(series.count == 35_040 && regimes.count == 35_040)
        #expect(series.timeframe == .m15)
        #expect(series.symbol == (try Symbol(parsing: "SYN/USDT")))
        let tick = Self.long.tickSize
        let step = Self.long.volumeStep
        var problems = 0
        for (index, candle) in series.candles.enumerated() {
            if candle.impossibility != nil { problems += 1 }
            for price in [candle.open, candle.high, candle.low, candle.close] where !price.isMultiple(ofStep: tick) {
                problems += 1
            }
            if !candle.volume.isMultiple(ofStep: step) && !candle.volume.isZero { problems += 1 }
            if index > 0 {
                if candle.open != series.candles[index - 1].close { problems += 1 }
                if candle.timestamp != series.candles[index - 1].timestamp + 900_000 { problems += 1 }
            }
        }
        #expect(problems == 0)
        #expect(series.candles[0].timestamp == Self.long.startTimestamp)
        #expect(series.candles[0].open == Self.long.startPrice)
        #expect(series.qualityReport().isClean)
    }

    @Test("switches between regimes whose drift and volatility differ as configured")
    func regimes() {
        let (series, regimes) = SyntheticMarket.generateWithRegimes(Self.long)
        var returns: [MarketRegime: [Double]] = [:]
        var switches = 0
        for index in 1..<series.count {
            let change = log(series.candles[index].close.doubleValue / series.candles[index - 1].close.doubleValue)
            returns[regimes[index], default: []].append(change)
            if regimes[index] != regimes[index - 1] { switches += 1 }
        }
        #expect(switches >= 3)
        #expect(Set(regimes) == Set(MarketRegime.allCases))
        func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }
        func deviation(_ values: [Double]) -> Double {
            let m = mean(values)
            return (values.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(values.count)).squareRoot()
        }
        let bull = returns[.bull] ?? []
        let bear = returns[.bear] ?? []
        let sideways = returns[.sideways] ?? []
        #expect(deviation(bear) > deviation(bull))
        #expect(deviation(bull) > deviation(sideways))
        #expect(mean(bull) > mean(bear))
    }

    @Test("volatility clusters and volume rises with volatility")
    func clustering() {
        let series = SyntheticMarket.generate(SyntheticMarket.Configuration(seed: 3, timeframe: .h1, count: 20_000))
        let moves = (1..<series.count).map {
            abs(log(series.candles[$0].close.doubleValue / series.candles[$0 - 1].close.doubleValue))
        }
        #expect(correlation(Array(moves.dropLast()), Array(moves.dropFirst())) > 0.1)
        let ranges = series.candles.map { log($0.high.doubleValue / $0.low.doubleValue) }
        let volumes = series.candles.map(\.volume.doubleValue)
        #expect(correlation(ranges, volumes) > 0.3)
    }

    @Test("invalid configurations name the field")
    func validation() {
        func message(_ change: (inout SyntheticMarket.Configuration) -> Void) -> String? {
            var configuration = SyntheticMarket.Configuration(seed: 1)
            change(&configuration)
            do {
                try configuration.validate()
                return nil
            } catch {
                return error.description
            }
        }
        #expect(message { _ in } == nil)
        #expect(message { $0.tickSize = 0 } == "tickSize: value '0' must be greater than zero")
        #expect(
            message { $0.bear.annualVolatility = -1 }
                == "bear.annualVolatility: value '-1.0' must be greater than 0 and at most 5")
        #expect(
            message { $0.garchBeta = 0.95 }
                == "garchAlpha: value '0.08 + garchBeta 0.95' must be non-negative with a sum below 1")
        #expect(
            message { $0.startTimestamp += 1 }
                == "startTimestamp: value '1704067200001' must be the start of a 1m candle")
    }

    @Test("the deterministic log and exp agree with the C library to 1e-15")
    func deterministicMath() {
        var generator = Xoshiro256StarStar(seed: 11)
        for _ in 0..<10_000 {
            let x = DeterministicMath.exp((generator.nextUnit() - 0.5) * 80)
            #expect(abs(DeterministicMath.log(x) - log(x)) <= 1e-15 * max(1, abs(log(x))))
            let y = (generator.nextUnit() - 0.5) * 60
            #expect(abs(DeterministicMath.exp(y) - exp(y)) <= 4e-16 * exp(y))
        }
        #expect(DeterministicMath.log(1) == 0 && DeterministicMath.exp(0) == 1)
    }

    private func correlation(_ a: [Double], _ b: [Double]) -> Double {
        let n = Double(a.count)
        let meanA = a.reduce(0, +) / n
        let meanB = b.reduce(0, +) / n
        var covariance = 0.0
        var varianceA = 0.0
        var varianceB = 0.0
        for (x, y) in zip(a, b) {
            covariance += (x - meanA) * (y - meanB)
            varianceA += (x - meanA) * (x - meanA)
            varianceB += (y - meanB) * (y - meanB)
        }
        return covariance / (varianceA * varianceB).squareRoot()
    }
}
