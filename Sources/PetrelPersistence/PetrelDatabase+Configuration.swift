import PetrelRuntime

extension PetrelDatabase {
    /// How the database waits for a lock, retries, and how hard it syncs.
    public struct Configuration: Sendable {
        /// SQLite's `synchronous` setting.
        public enum Synchronous: String, Sendable, Hashable, CaseIterable {
            /// With WAL: a commit survives the process being killed (SIGKILL, a crash); the last commits
            /// before a power loss or OS crash may be lost, the file is never corrupted. The default.
            case normal
            /// With WAL: also fsyncs the log at every commit, so a commit survives a power loss too; a few
            /// milliseconds per commit on most disks.
            case full
        }

        /// How long SQLite itself waits for another connection's lock before a statement fails
        /// (`PRAGMA busy_timeout`).
        public var busyTimeoutMilliseconds: Int
        /// How many times an operation that found the database locked is tried in all (1 = no retry).
        public var attempts: Int
        /// The pause before the first retry; each later retry waits twice as long as the one before.
        public var retryDelayMilliseconds: Int64
        /// `PRAGMA synchronous`.
        public var synchronous: Synchronous
        /// How long an operation waits for this process's one connection while others use it.
        public var connectionWaitMilliseconds: Int64
        /// How retries wait.
        public var sleeper: any Sleeper
        /// The source of `updated_at` for rows whose port passes no time (paper accounts).
        public var clock: any TradingClock

        /// Creates a configuration; the defaults suit a bot process.
        /// - Parameters:
        ///   - busyTimeoutMilliseconds: SQLite's busy timeout (5 s); negative values count as 0.
        ///   - attempts: tries of a locked operation (3); less than 1 counts as 1.
        ///   - retryDelayMilliseconds: the first back-off (100 ms), doubled per retry.
        ///   - synchronous: `.normal` (WAL keeps commits across a process kill) or `.full`.
        ///   - connectionWaitMilliseconds: the wait for the connection (60 s).
        ///   - sleeper: how retries wait (``TaskSleeper``).
        ///   - clock: the time of writes that carry none (``LiveClock``).
        public init(
            busyTimeoutMilliseconds: Int = 5_000, attempts: Int = 3, retryDelayMilliseconds: Int64 = 100,
            synchronous: Synchronous = .normal, connectionWaitMilliseconds: Int64 = 60_000,
            sleeper: any Sleeper = TaskSleeper(), clock: any TradingClock = LiveClock()
        ) {
            self.busyTimeoutMilliseconds = max(0, busyTimeoutMilliseconds)
            self.attempts = max(1, attempts)
            self.retryDelayMilliseconds = max(0, retryDelayMilliseconds)
            self.synchronous = synchronous
            self.connectionWaitMilliseconds = max(1, connectionWaitMilliseconds)
            self.sleeper = sleeper
            self.clock = clock
        }
    }

    /// The connection's SQLite settings as read back from the database.
    public struct ConnectionSettings: Sendable, Hashable {
        /// `wal` for a file, `memory` for ``PetrelDatabase/openInMemory(configuration:logger:)``.
        public var journalMode: String
        /// Whether foreign keys (and their `ON DELETE CASCADE`) are enforced.
        public var foreignKeys: Bool
        /// SQLite's busy timeout in milliseconds.
        public var busyTimeoutMilliseconds: Int
        /// `off`, `normal`, `full` or `extra`.
        public var synchronous: String

        /// Creates the settings.
        public init(journalMode: String, foreignKeys: Bool, busyTimeoutMilliseconds: Int, synchronous: String) {
            self.journalMode = journalMode
            self.foreignKeys = foreignKeys
            self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
            self.synchronous = synchronous
        }
    }
}
