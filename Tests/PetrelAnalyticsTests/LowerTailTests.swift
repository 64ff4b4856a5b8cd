import PetrelCore
import Testing

@testable import PetrelAnalytics

@Suite("Lower-tail selection for VaR")
struct LowerTailTests {
    @Test(
        "selecting the tail gives exactly the VaR and CVaR of a full sort",
        arguments: [1, 2, 3, 19, 20, 21, 100, 1_001, 25_000])
    func selectionMatchesSort(count: Int) {
        var generator = SplitMix64(seed: UInt64(count))
        // Rounded to 3 decimals so that many returns tie, which is where partitioning goes wrong.
        let returns = (0..<count).map { _ in ((generator.nextUnitInterval() - 0.5) * 0.02 * 1_000).rounded() / 1_000 }
        let sorted = Analytics.sortedNumbers(returns)
        let (tail, total, maximum) = Analytics.lowerTail(returns, confidence: 0.95)
        #expect(total == count)
        #expect(maximum == sorted.last)
        #expect(Array(sorted.prefix(tail.count)) == tail)
        for confidence in [0.95, 0.99] {
            #expect(
                Analytics.valueAtRisk(tail: tail, count: total, confidence: confidence)
                    == Analytics.valueAtRisk(sortedReturns: sorted, confidence: confidence))
            #expect(
                Analytics.conditionalValueAtRisk(tail: tail, count: total, confidence: confidence)
                    == Analytics.conditionalValueAtRisk(sortedReturns: sorted, confidence: confidence))
        }
    }

    @Test("NaN returns are ignored by the tail selection")
    func ignoresNaN() {
        let (tail, count, maximum) = Analytics.lowerTail([0.01, .nan, -0.02, 0.03], confidence: 0.95)
        #expect(count == 3)
        #expect(tail.first == -0.02)
        #expect(maximum == 0.03)
    }
}
