import Foundation
import Hummingbird
import PetrelPersistence
import PetrelRuntime

/// `/api/v1/users` (administrators only): list, create, change role, password or disabled switch, delete.
struct UsersController: Sendable {
    let services: ServerServices

    struct CreateBody: Decodable {
        var username: String
        var password: String
        var role: String
    }

    struct UpdateBody: Decodable {
        var role: String?
        var password: String?
        var disabled: Bool?
    }

    struct UserList: Encodable {
        var users: [UserView]
    }

    func addRoutes(to group: RouterGroup<ServerContext>) {
        group.get(use: list)
        group.post(use: create)
        group.patch(":id", use: update)
        group.delete(":id", use: delete)
    }

    @Sendable func list(_ request: Request, context: ServerContext) async throws -> Response {
        _ = try context.require(.admin)
        return try JSONResponse.make(UserList(users: try await services.database.users.all().map(UserView.init)))
    }

    @Sendable func create(_ request: Request, context: ServerContext) async throws -> Response {
        let admin = try context.require(.admin)
        let body = try await request.json(CreateBody.self, context: context)
        let username = try Self.checkUsername(body.username)
        let role = try Self.role(body.role)
        if let problem = PasswordHasher.problem(with: body.password) {
            throw APIError.badRequest("password \(problem)", field: "password")
        }
        let user = try await services.database.users.create(
            username: username, passwordHash: await services.hasher.hashed(body.password), role: role,
            at: services.clock.now())
        await services.audit(
            admin.userID, admin.username, "user_create", target: "user:\(user.id)", detail: "role \(role.rawValue)",
            address: context.address)
        return try JSONResponse.make(UserView(user), status: .created)
    }

    @Sendable func update(_ request: Request, context: ServerContext) async throws -> Response {
        let admin = try context.require(.admin)
        let id = try Self.userID(context)
        let body = try await request.json(UpdateBody.self, context: context)
        let role = try body.role.map(Self.role)
        if let password = body.password, let problem = PasswordHasher.problem(with: password) {
            throw APIError.badRequest("password \(problem)", field: "password")
        }
        if id == admin.userID, role.map({ $0 != .admin }) == true || body.disabled == true {
            throw APIError.conflict("you cannot demote or disable yourself; ask another administrator")
        }
        let now = services.clock.now()
        var passwordHash: String?
        if let password = body.password { passwordHash = await services.hasher.hashed(password) }
        let user = try await services.database.users.update(
            id: id, role: role, passwordHash: passwordHash, isDisabled: body.disabled, at: now)
        if body.password != nil || body.disabled == true || role != nil {
            try await services.database.refreshTokens.revokeAll(user: id, at: now)
        }
        if let disabled = body.disabled { services.users.set(id, active: !disabled) }
        var changes: [String] = []
        if let role { changes.append("role \(role.rawValue)") }
        if body.password != nil { changes.append("password") }
        if let disabled = body.disabled { changes.append(disabled ? "disabled" : "enabled") }
        await services.audit(
            admin.userID, admin.username, "user_update", target: "user:\(id)",
            detail: changes.joined(separator: ", "), address: context.address)
        return try JSONResponse.make(UserView(user))
    }

    @Sendable func delete(_ request: Request, context: ServerContext) async throws -> Response {
        let admin = try context.require(.admin)
        let id = try Self.userID(context)
        guard id != admin.userID else { throw APIError.conflict("you cannot delete yourself") }
        try await services.database.users.delete(id: id)
        services.users.set(id, active: false)
        await services.audit(
            admin.userID, admin.username, "user_delete", target: "user:\(id)", address: context.address)
        return Response(status: .noContent)
    }

    static func userID(_ context: ServerContext) throws -> Int64 {
        guard let text = context.parameters.get("id"), let id = Int64(text), id > 0 else {
            throw APIError.badRequest("the user id must be a positive integer", field: "id")
        }
        return id
    }

    /// - Throws: ``APIError`` 400 at `username` unless ``AccountRules/usernameProblem(_:)`` accepts it.
    static func checkUsername(_ name: String) throws -> String {
        if let problem = AccountRules.usernameProblem(name) {
            throw APIError.badRequest("username \(problem)", field: "username")
        }
        return name
    }

    static func role(_ text: String) throws -> UserRole {
        do {
            return try AccountRules.role(text)
        } catch {
            throw APIError.badRequest(error.description, field: "role")
        }
    }
}
