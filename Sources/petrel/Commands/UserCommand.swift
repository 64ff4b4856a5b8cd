import ArgumentParser
import Foundation
import PetrelPersistence
import PetrelRuntime
import PetrelServer

/// `petrel user …`: accounts of the server (seed 000's `createsuperuser`).
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage the server's users.", subcommands: [UserCreateCommand.self])
}

struct UserCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a user (the password comes from PETREL_USER_PASSWORD, --password-stdin or a prompt).")

    @Option(help: "3 to 40 letters, digits, '.', '_' or '-'.")
    var username: String
    @Option(help: "admin, trader or viewer.")
    var role: String = "trader"
    @Flag(help: "Read the password from the first line of standard input.")
    var passwordStdin = false
    @OptionGroup var data: DataDirectoryOptions

    func validate() throws {
        do {
            _ = try AccountRules.role(role)
        } catch {
            throw ValidationError("--\(error.description)")
        }
        if let problem = AccountRules.usernameProblem(username) {
            throw ValidationError("--username \(problem)")
        }
    }

    func run() async throws {
        let password = try readPassword()
        if let problem = PasswordHasher.problem(with: password) { throw CLIError("the password \(problem)") }
        let hash = PasswordHasher().hash(password)
        let role = (try? AccountRules.role(role)) ?? .trader
        let user = try await data.withDatabase { database in
            do {
                let user = try await database.users.create(
                    username: username, passwordHash: hash, role: role, at: LiveClock().now())
                try await database.auditLog.append(
                    AuditEntry(
                        at: LiveClock().now(), userID: user.id, username: user.username, action: "user_create",
                        target: "user:\(user.id)", detail: "role \(role.rawValue), from the command line"))
                return user
            } catch StorageError.conflict(let why) {
                throw CLIError(why)
            }
        }
        print("created user '\(user.username)' (id \(user.id), role \(user.role.rawValue))")
    }

    func readPassword() throws -> String {
        if let password = ProcessInfo.processInfo.environment["PETREL_USER_PASSWORD"] { return password }
        if passwordStdin {
            guard let line = readLine(strippingNewline: true) else { throw CLIError("no password on standard input") }
            return line
        }
        guard isatty(STDIN_FILENO) != 0 else {
            throw CLIError("no password: set PETREL_USER_PASSWORD, pass --password-stdin, or run in a terminal")
        }
        guard let first = getpass("Password: ").map({ String(cString: $0) }),
            let second = getpass("Password (again): ").map({ String(cString: $0) })
        else { throw CLIError("no password read") }
        guard first == second else { throw CLIError("the passwords differ") }
        return first
    }
}
