/// The login form.
struct LoginPage: Sendable {
    /// The login CSRF token (double submit with a cookie); shadows the layout's session token.
    var csrf: String
    /// Where to go after signing in (a local path).
    var next: String
    var error: String?
}

/// The signed-in user's account page (password change, the digest's address).
struct AccountPage: Sendable {
    var message: String?
    var email: String = ""
    var saved: Bool = false
}
