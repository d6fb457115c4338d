public import ServiceLifecycle

/// Runs the engine drivers' clocks as a service; on graceful shutdown it refuses new requests (503), lets
/// streams in flight finish for up to `drainSeconds` of wall time, then cancels the rest.
public struct DriverService: Service {
    let drivers: [EngineDriver]
    let drainSeconds: Double

    /// `drainSeconds` is clamped to 0...3600.
    public init(app: ServeApp, drainSeconds: Double = 10) {
        drivers = Array(app.drivers.values)
        self.drainSeconds = drainSeconds.isFinite ? min(max(drainSeconds, 0), 3600) : 10
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                for driver in drivers {
                    group.addTask { await driver.run() }
                }
                group.addTask {
                    try? await gracefulShutdown()
                    for driver in drivers { await driver.stopAccepting() }
                    let deadline = ContinuousClock.now + .milliseconds(Int64(drainSeconds * 1000))
                    while ContinuousClock.now < deadline, !Task.isCancelled {
                        var inFlight = 0
                        for driver in drivers { inFlight += await driver.inFlight }
                        if inFlight == 0 { break }
                        try? await Task.sleep(for: .milliseconds(20))
                    }
                    for driver in drivers { await driver.cancelAll() }
                }
                await group.next()
                group.cancelAll()
            }
        } onGracefulShutdown: {}
    }
}
