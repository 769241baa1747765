import Foundation
import Hummingbird
import Mustache

/// Server-rendered HTML from the mustache templates in Resources/templates.
public struct Renderer: Sendable {
    let library: MustacheLibrary

    public struct MissingTemplate: Error, CustomStringConvertible {
        public var name: String
        public var description: String { "template \(name).mustache is missing from the bundle" }
    }

    /// Loads the templates and checks that every page template is there (else the server does
    /// not start).
    public static func load() async throws -> Renderer {
        let dir = Bundle.module.url(forResource: "templates", withExtension: nil)!.path
        let library = try await MustacheLibrary(directory: dir)
        for template in PageTemplate.allCases where library.getTemplate(named: template.rawValue) == nil {
            throw MissingTemplate(name: template.rawValue)
        }
        return Renderer(library: library)
    }

    /// A template's text, for a part of a page kept between requests.
    func fragment<Model>(_ template: PageTemplate, _ page: Page<Model>) -> String {
        library.render(page, withTemplate: template.rawValue)!
    }

    /// A part of a page drawn once and kept (`{{{…HTML}}}` in the page's template, on a line of
    /// its own): the fragment without its last line break, which the page's template has.
    func block<Model>(_ template: PageTemplate, _ page: Page<Model>) -> String {
        var html = fragment(template, page)
        if html.hasSuffix("\n") { html.removeLast() }
        return html
    }

    /// A part drawn from a model alone (no layout: the template uses no interface strings and
    /// no form token), without its last line break.
    func row<Model: Sendable>(_ template: PageTemplate, _ model: Model) -> String {
        var html = library.render(ModelFields.wrap(model) as Any, withTemplate: template.rawValue)!
        if html.hasSuffix("\n") { html.removeLast() }
        return html
    }

    func html<Model>(_ template: PageTemplate, _ page: Page<Model>, status: HTTPResponse.Status = .ok) -> Response {
        // Every template was found at start-up, so rendering cannot miss one.
        let body = library.render(page, withTemplate: template.rawValue)!
        return Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}

/// Text put into HTML outside a template (a chart drawn in code, a kept row's form token).
enum HTMLText {
    /// `&`, `<`, `>` and `"` as entities: safe in element text and double-quoted attributes.
    static func escaped(_ text: String) -> String {
        guard text.contains(where: { "&<>\"".contains($0) }) else { return text }
        return text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
