import PetrelRuntime

/// Why the fleet refused a request; the API maps each case to one HTTP status.
public enum FleetError: Error, Sendable, CustomStringConvertible {
    /// No such bot.
    case notFound(String)
    /// The request conflicts with the bot's state (running, id taken, stored state from another config).
    case conflict(String)
    /// The config or id is not acceptable.
    case invalid(BotSetupError)
    /// The database failed.
    case storage(StorageError)

    public var description: String {
        switch self {
        case .notFound(let id): return "no bot '\(id)'"
        case .conflict(let why): return why
        case .invalid(let error): return error.description
        case .storage(let error): return error.description
        }
    }

    static func from(_ error: StorageError) -> FleetError {
        switch error {
        case .notFound(let what): return .notFound(what)
        case .conflict(let why): return .conflict(why)
        case .storage: return .storage(error)
        }
    }
}
