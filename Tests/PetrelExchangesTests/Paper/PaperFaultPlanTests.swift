import PetrelCore
import PetrelExchanges
import PetrelRuntime
import PetrelTestSupport
import Testing

@Suite("Paper fault plans (PETREL_PAPER_FAULTS)")
struct PaperFaultPlanTests {
    @Test("entries parse in order, blanks ignored, and each fails the next call of its operation once")
    func parsesAndInjects() async throws {
        let plan = try PaperFaultPlan(parsing: " submit=timeout_after_accept , cancel=unavailable,submit=rate_limited")
        #expect(plan.entries.map(\.operation) == [.submit, .cancel, .submit])
        #expect(plan.entries.map(\.fault) == [.timeoutAfterAccept, .retryableBeforeAccept, .rateLimited(1_000)])
        #expect(plan.summary == "submit=timeout_after_accept,cancel=unavailable,submit=rate_limited")

        let exchange = await PaperFixtures.exchange(clock: TestClock(PaperFixtures.start))
        await plan.inject(into: exchange)
        let order = PaperFixtures.order(1, .buy, quantity: "0.2")
        await #expect(
            throws: ExecutionError.unknownOutcome("timed out waiting for the answer (the order was accepted)")
        ) {
            _ = try await exchange.submit(order)
        }
        #expect(await exchange.allOrders.count == 1)
        // The cancel fault is next in line for cancels; the second submit fault for the next submit.
        await #expect(throws: ExecutionError.rateLimited(retryAfterMilliseconds: 1_000, "429 too many requests")) {
            _ = try await exchange.submit(PaperFixtures.order(2, .buy, quantity: "0.2"))
        }
        #expect(await exchange.allOrders.count == 1)
    }

    @Test(
        "bad entries name the entry and what is allowed",
        arguments: [
            ("", "an empty entry"),
            ("submit", "'submit' is not operation=fault"),
            ("send=timeout_after_accept", "operation 'send' is not one of 'submit', 'cancel'"),
            ("submit=explode", "fault 'explode' is not one of 'timeout_after_accept', 'timeout_before_accept'"),
            ("submit=unavailable,", "an empty entry"),
        ])
    func rejects(text: String, message: String) {
        do {
            _ = try PaperFaultPlan(parsing: text)
            Issue.record("'\(text)' was accepted")
        } catch {
            #expect(error.description.contains(message), "\(error)")
        }
    }
}
