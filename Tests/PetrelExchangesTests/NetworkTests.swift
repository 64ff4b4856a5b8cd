import PetrelExchanges
import Testing

/// The venue network layer's pieces that need no server.
@Suite("Venue network layer")
struct NetworkTests {
    @Test("back-off doubles from the initial wait, is capped, and jitter stays within its share")
    func backoff() {
        let plain = Backoff(initial: 100, maximum: 1_000, jitter: 0)
        #expect((1...6).map { plain.delay(attempt: $0, unit: 0.5) } == [100, 200, 400, 800, 1_000, 1_000])
        let jittered = Backoff(initial: 1_000, maximum: 8_000, jitter: 0.5)
        #expect(jittered.delay(attempt: 1, unit: 0) == 750 && jittered.delay(attempt: 1, unit: 0.999_999) == 1_250)
        #expect(jittered.delay(attempt: 10, unit: 0.999_999) == 8_000)
    }

    @Test("the clock offset is the venue's time as of the answer's arrival: never ahead of the venue")
    func clockOffset() {
        let offset = ClockOffset()
        #expect(!offset.isMeasured && offset.venueTime(local: 1_000) == 1_000)
        offset.record(serverTime: 10_500, sentAt: 1_000, receivedAt: 1_200)
        #expect(offset.milliseconds == 9_300 && offset.isMeasured)
        #expect(offset.venueTime(local: 2_000) == 11_300)
    }

    @Test("secrets are redacted, longest first; very short values are left alone")
    func redaction() {
        let redaction = Redaction(["abc", "secret-key-1234", "secret-key-1234-long"])
        #expect(redaction.apply("sig for secret-key-1234-long and secret-key-1234, abc") == "sig for *** and ***, abc")
    }

    @Test("the rate gate of a host is shared, and a ban outlasts a pause")
    func rateGate() {
        let gate = VenueRateGate.shared(host: "gate-test.invalid:443")
        #expect(VenueRateGate.shared(host: "gate-test.invalid:443") === gate)
        gate.pause(now: 1_000, retryAfter: 500)
        #expect(gate.wait(now: 1_200) == (300, false))
        gate.ban(now: 1_200, retryAfter: 10_000)
        #expect(gate.wait(now: 1_300) == (9_900, true))
        #expect(gate.wait(now: 20_000) == (0, false))
    }
}
