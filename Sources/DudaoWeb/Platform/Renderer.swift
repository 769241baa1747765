import Foundation
import Hummingbird
import Mustache

/// Server-rendered HTML from the mustache templates in Resources/templates.
public struct Renderer: Sendable {
    let library: MustacheLibrary

    public static func load() async throws -> Renderer {
        let dir = Bundle.module.url(forResource: "templates", withExtension: nil)!.path
        return Renderer(library: try await MustacheLibrary(directory: dir))
    }

    public func html(_ template: String, _ context: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        let body = library.render(context, withTemplate: template) ?? "template \(template) missing"
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
