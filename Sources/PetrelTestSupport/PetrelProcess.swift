import Foundation

/// Runs the real `petrel` executable built beside the tests (process-level tests).
public enum PetrelProcess {
    /// What a finished run printed and returned.
    public struct Outcome: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// The `petrel` binary: `$PETREL_BINARY`, else next to the running test executable, else `.build/debug`.
    public static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["PETREL_BINARY"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("petrel")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return Fixtures.repositoryRoot.appendingPathComponent(".build/debug/petrel")
    }

    /// The `petrel` process, not started yet.
    private static func make(_ arguments: [String], in directory: URL?, environment: [String: String]) -> Process {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        return process
    }

    /// Starts `petrel` with `arguments` in `directory` without waiting, its output discarded (for
    /// tests that signal or kill it).
    /// - Throws: when the process cannot be started.
    public static func start(_ arguments: [String], in directory: URL) throws -> Process {
        let process = make(arguments, in: directory, environment: [:])
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Starts `petrel` without waiting, its standard output and error written to files (for long-running
    /// commands such as `serve`, whose output a test reads while it runs).
    /// - Throws: when the files cannot be created or the process cannot be started.
    public static func start(
        _ arguments: [String], in directory: URL, environment: [String: String], stdout: URL, stderr: URL
    ) throws -> Process {
        let process = make(arguments, in: directory, environment: environment)
        _ = FileManager.default.createFile(atPath: stdout.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderr.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: stdout)
        process.standardError = try FileHandle(forWritingTo: stderr)
        try process.run()
        return process
    }

    /// Runs `petrel` like ``run(_:in:environment:)``, waiting on a thread of its own: the test's task is
    /// suspended meanwhile instead of holding one of the few threads every async test shares (a blocked
    /// pool stalls every other test's network and timers for as long as the process runs).
    public static func execute(
        _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]
    ) async throws -> Outcome {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try run(arguments, in: directory, environment: environment) })
            }
        }
    }

    /// Waits for `process` to exit on a thread of its own (see ``execute(_:in:environment:)``).
    public static func waitForExit(_ process: Process) async {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                process.waitUntilExit()
                continuation.resume()
            }
        }
    }

    /// Runs `petrel` with `arguments` in `directory` and waits for it.
    /// - Parameters:
    ///   - environment: variables added to (or replacing) the test's own environment.
    /// - Throws: when the process cannot be started.
    public static func run(
        _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]
    ) throws -> Outcome {
        let process = make(arguments, in: directory, environment: environment)
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes to the end before waiting, so a chatty child never blocks on a full pipe.
        let group = DispatchGroup()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }
}
