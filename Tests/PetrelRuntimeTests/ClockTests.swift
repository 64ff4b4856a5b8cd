import PetrelRuntime
import Testing

@Suite("Clocks")
struct ClockTests {
    @Test("a test clock starts where told and moves only when set or advanced")
    func testClock() {
        let clock = TestClock(1_704_067_200_000)
        #expect(clock.now() == 1_704_067_200_000)
        #expect(clock.now() == 1_704_067_200_000)
        clock.advance(by: 60_000)
        #expect(clock.now() == 1_704_067_260_000)
        clock.set(5)
        #expect(clock.now() == 5)
        clock.advance(by: -5)
        #expect(clock.now() == 0)
        #expect(TestClock().now() == 0)
    }

    @Test("copies of a test clock share one time, also behind the TradingClock protocol")
    func sharedTime() {
        let clock = TestClock(100)
        let copy = clock
        let port: any TradingClock = clock
        copy.advance(by: 900)
        #expect(clock.now() == 1_000)
        #expect(port.now() == 1_000)
    }

    @Test("concurrent advances are all counted")
    func concurrentAdvances() async {
        let clock = TestClock(0)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<100 {
                group.addTask { clock.advance(by: 10) }
            }
        }
        #expect(clock.now() == 1_000)
    }
}
