import DudaoApp
import DudaoCore
import DudaoStore
import Hummingbird
import NIOCore

/// The per-request context: who is calling (from the session cookie or an API token).
public struct AppRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public var identity: Identity?
    /// Set for cookie sessions (forms must then carry its CSRF token); nil for API tokens.
    public var session: UserRepository.Session?
    /// The socket's peer (a proxy's address when behind one; see `ClientAddress`).
    public let remoteAddress: SocketAddress?
    /// Form or JSON bodies by content type (`AppRequestDecoder`).
    public var requestDecoder: AppRequestDecoder { AppRequestDecoder() }

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}

/// What a page needs to know of the caller, signed in or not.
protocol CallerContext: RequestContext {
    var caller: Identity? { get }
    var session: UserRepository.Session? { get }
}

extension AppRequestContext: CallerContext {
    var caller: Identity? { identity }
}

/// A request from a signed-in user: routes in signed-in groups get this context, whose
/// identity is never missing. Building it fails with `SignInRequired` when nobody is signed
/// in, which `ErrorMiddleware` answers with the login page (pages) or 401 (API).
struct SignedInContext: ChildRequestContext, CallerContext {
    typealias ParentContext = AppRequestContext
    var coreContext: CoreRequestContextStorage
    /// The signed-in caller.
    let user: Identity
    /// Set for cookie sessions (forms must then carry its CSRF token); nil for API tokens.
    let session: UserRepository.Session?
    let remoteAddress: SocketAddress?
    var requestDecoder: AppRequestDecoder { AppRequestDecoder() }

    init(context: AppRequestContext) throws {
        guard let identity = context.identity else { throw SignInRequired() }
        self.coreContext = context.coreContext
        self.user = identity
        self.session = context.session
        self.remoteAddress = context.remoteAddress
    }

    var caller: Identity? { user }
}

/// Nobody is signed in where someone must be.
struct SignInRequired: Error {}

extension CallerContext {
    /// A form's CSRF token is valid when it equals the session's.
    func acceptsCSRF(_ given: String?) -> Bool {
        guard let expected = session?.csrfToken, let given else { return false }
        return constantTimeEqual(expected, given)
    }
}

/// Resolves the caller: `Authorization: Bearer <token>` for scripts, else the session cookie.
struct IdentityMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let accounts: Accounts

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let auth = request.headers[.authorization], auth.lowercased().hasPrefix("bearer ") {
            context.identity = try await accounts.caller(apiToken: String(auth.dropFirst(7)).trimmingCharacters(in: .whitespaces))
        } else if let token = request.cookies[SessionCookie.name]?.value, let session = try await accounts.caller(sessionToken: token) {
            context.identity = session.identity
            context.session = session
        }
        return try await next(request, context)
    }
}

enum SessionCookie {
    static let name = "dudao_session"
    static let loginCSRF = "dudao_login_csrf"

    /// HttpOnly, SameSite=Lax, Secure when served over TLS (directly or behind a proxy that says so).
    static func make(_ name: String, value: String, request: Request, maxAge: Int? = nil) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: isTLS(request), httpOnly: true, sameSite: .lax)
    }

    static func isTLS(_ request: Request) -> Bool {
        request.uri.scheme == .https || request.headers[.init("X-Forwarded-Proto")!]?.lowercased() == "https"
    }
}
