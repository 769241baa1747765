import DudaoApp
import DudaoCore
import DudaoStore
import Foundation
import Hummingbird

/// Login, logout and password change (server-rendered forms with CSRF tokens).
struct AuthPages: FeatureRoutes {
    let state: AppState

    func register(public router: RouterGroup<AppRequestContext>, signedIn: RouterGroup<SignedInContext>) {
        router.get("login") { request, context in loginForm(request, context, error: nil) }
        router.post("login") { request, context in try await login(request, context) }
        signedIn.post("logout") { request, context in try await logout(request, context) }
        signedIn.get("account") { request, context in try await account(request, context, message: nil) }
        signedIn.post("account/email") { request, context in try await setEmail(request, context) }
        signedIn.post("account/password") { request, context in try await changePassword(request, context) }
    }

    func loginForm(_ request: Request, _ context: AppRequestContext, error: String?, status: HTTPResponse.Status = .ok) -> Response {
        let rl = RequestLanguage(request)
        // Login CSRF: the form carries the same random value as a cookie (double submit).
        let token = UserRepository.Session.newToken()
        let model = LoginPage(csrf: token, next: request.uri.queryParameters.get("next").map { SafeRedirect.path(String($0)) } ?? "", error: error)
        var response = pages.render(
            rl, .login, Page(layout: pages.layout(request, context, rl.language, title: Strings.shared("login", rl.language)), model: model),
            status: status)
        response.setCookie(SessionCookie.make(SessionCookie.loginCSRF, value: token, request: request, maxAge: 3600))
        return response
    }

    func login(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let lang = RequestLanguage(request).language
        let form = try await FormData.parse(request, context)
        guard let cookie = request.cookies[SessionCookie.loginCSRF]?.value, let given = form["csrf"], constantTimeEqual(cookie, given) else {
            return loginForm(request, context, error: Strings.shared("csrfFailed", lang), status: .forbidden)
        }
        let username = try form.text("username", max: 64).trimmingCharacters(in: .whitespaces)
        let password = try form.text("password", max: 256)
        let account = username.lowercased()
        let address = ClientAddress.resolve(
            peer: context.remoteAddress?.ipAddress, forwardedFor: request.headers[.init("X-Forwarded-For")!],
            trusted: state.trustedProxies)
        if let wait = await state.throttle.retryAfter(account: account, address: address, now: state.services.clock.now()) {
            var r = loginForm(request, context, error: String(format: Strings.shared("throttled", lang), (wait + 59) / 60), status: .tooManyRequests)
            r.headers[.retryAfter] = String(wait)
            return r
        }
        guard
            let checked = try await state.passwordChecks.run({
                try await UserRepository(state.database.sql).verify(username: username, password: password)
            })
        else {
            var r = loginForm(request, context, error: Strings.shared("loginBusy", lang), status: .serviceUnavailable)
            r.headers[.retryAfter] = "2"
            return r
        }
        guard let identity = checked else {
            await state.throttle.failed(account: account, address: address, now: state.services.clock.now())
            return loginForm(request, context, error: Strings.shared("loginFailed", lang), status: .unauthorized)
        }
        await state.throttle.succeeded(account: account)
        let session = try await state.services.accounts.openSession(for: identity)
        // Without a page to return to, the first page is what is due from the user (待办事项).
        let next = form["next"].flatMap { $0.isEmpty ? nil : $0 }
        var response = Response.redirect(to: next.map(SafeRedirect.path) ?? "/agenda", type: .normal)
        response.setCookie(SessionCookie.make(SessionCookie.name, value: session.token, request: request))
        return response
    }

    func logout(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let form = try await FormData.parse(request, context)
        guard let session = context.session, form.hasValidCSRF(context) else {
            throw AppError.csrf
        }
        try await state.services.accounts.closeSession(token: session.token)
        var response = Response.redirect(to: "/login", type: .normal)
        response.setCookie(SessionCookie.make(SessionCookie.name, value: "", request: request, maxAge: 0))
        return response
    }

    func account(
        _ request: Request, _ context: SignedInContext, message: String?, status: HTTPResponse.Status = .ok, saved: Bool = false
    ) async throws
        -> Response
    {
        let rl = RequestLanguage(request)
        let layout = pages.layout(request, context, rl.language, title: Strings.shared("account", rl.language))
        let email = try await UserRepository(db.sql).email(userId: context.user.userId)
        return pages.render(
            rl, .account, Page(layout: layout, model: AccountPage(message: message, email: email ?? "", saved: saved)), status: status)
    }

    /// The address the daily digest of what is due goes to (empty: none).
    func setEmail(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let lang = RequestLanguage(request).language
        let form = try await FormData.parse(request, context)
        guard form.hasValidCSRF(context) else {
            return try await account(request, context, message: Strings.shared("csrfFailed", lang), status: .forbidden)
        }
        let email = try form.text("email", max: 254)
        do {
            try await state.services.accounts.setEmail(username: context.user.username, to: email.isEmpty ? nil : email, actor: context.user.username)
        } catch let error as FieldError {
            return try await account(request, context, message: error.message(lang), status: .badRequest)
        }
        return try await account(request, context, message: nil, saved: true)
    }

    func changePassword(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let lang = RequestLanguage(request).language
        let identity = context.user
        guard context.session != nil else { throw AppError.forbidden(zh: "请在网页登录后修改密码", en: "change the password signed in on the web") }
        let form = try await FormData.parse(request, context)
        guard form.hasValidCSRF(context) else {
            return try await account(request, context, message: Strings.shared("csrfFailed", lang), status: .forbidden)
        }
        guard form["new"] == form["confirm"] else {
            return try await account(request, context, message: Strings.shared("passwordMismatch", lang), status: .badRequest)
        }
        do {
            let ok = try await state.services.accounts.changePassword(userId: identity.userId, current: form["current"] ?? "", new: form["new"] ?? "")
            guard ok else { return try await account(request, context, message: Strings.shared("passwordWrong", lang), status: .badRequest) }
        } catch let error as UserError {
            return try await account(request, context, message: error.description, status: .badRequest)
        }
        var response = Response.redirect(to: "/login", type: .normal)
        response.setCookie(SessionCookie.make(SessionCookie.name, value: "", request: request, maxAge: 0))
        return response
    }
}
