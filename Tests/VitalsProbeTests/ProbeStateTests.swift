import Testing
import VitalsStack

@testable import VitalsProbe

@Suite struct ProbeStateTests {
    static func timing(success: Int = 1, failure: Int = 3) -> ProbeTiming {
        var timing = ProbeTiming()
        timing.successThreshold = success
        timing.failureThreshold = failure
        return timing
    }

    static let ok = ProbeResult(outcome: .success)
    static let bad = ProbeResult.failure("no")

    @Test func initialStatesAreTheKubelets() {
        #expect(ProbeState(kind: .readiness, timing: Self.timing()).state == .failure)
        #expect(ProbeState(kind: .liveness, timing: Self.timing()).state == .success)
        #expect(ProbeState(kind: .startup, timing: Self.timing()).state == .unknown)
    }

    @Test func readinessNeedsSuccessThresholdConsecutivePasses() {
        var state = ProbeState(kind: .readiness, timing: Self.timing(success: 3, failure: 2))
        state.record(Self.ok)
        state.record(Self.ok)
        #expect(state.state == .failure)
        state.record(Self.bad)  // breaks the run
        state.record(Self.ok)
        state.record(Self.ok)
        #expect(state.state == .failure)
        let changed = state.record(Self.ok)
        #expect(changed)
        #expect(state.state == .success)
    }

    @Test func failuresMustReachTheFailureThreshold() {
        var state = ProbeState(kind: .liveness, timing: Self.timing(failure: 3))
        state.record(Self.bad)
        state.record(Self.bad)
        #expect(state.state == .success)
        state.record(Self.bad)
        #expect(state.state == .failure)
        #expect(state.transitions == 1)
    }

    @Test func aFlappingEndpointNeverChangesStateBelowTheThresholds() {
        var state = ProbeState(kind: .readiness, timing: Self.timing(success: 2, failure: 2))
        for _ in 0..<10 {
            state.record(Self.ok)
            state.record(Self.bad)
        }
        #expect(state.state == .failure)
        #expect(state.transitions == 0)
        state.record(Self.ok)
        state.record(Self.ok)
        #expect(state.state == .success)
        for _ in 0..<10 {
            state.record(Self.bad)
            state.record(Self.ok)
        }
        #expect(state.state == .success)
    }

    @Test func startupBecomesSuccessOrFailureOnlyAtItsThresholds() {
        var state = ProbeState(kind: .startup, timing: Self.timing(failure: 3))
        state.record(Self.bad)
        state.record(Self.bad)
        #expect(state.state == .unknown)
        state.record(Self.bad)
        #expect(state.state == .failure)
        state.record(Self.ok)
        #expect(state.state == .success)
    }
}
