// Parameter substitution in `run`, `env` values and `emit` values:
//
//   expression = "${{" spaces "params." name spaces "}}"
//   name       = [A-Za-z_][A-Za-z0-9_]*
//
// Anything else between `${{` and `}}`, or a `${{` without its `}}`, is an error at load
// time; text outside expressions is copied as is (there is no escape: `${{` never
// appears in a shell command by accident). Substitution is textual: the value is not
// quoted for the shell.

/// Finds and substitutes `${{ params.NAME }}` expressions.
public enum ParamTemplate {
    /// One piece of a template: literal text or a parameter reference.
    enum Piece: Equatable {
        case text(Substring)
        case param(String)
    }

    /// Why a template does not parse: the offending expression text.
    struct BadExpression: Error, Equatable {
        let text: String
    }

    /// Splits `template` into text and parameter references.
    static func pieces(_ template: String) -> Result<[Piece], BadExpression> {
        var pieces: [Piece] = []
        var rest = Substring(template)
        while let open = rest.firstRange(of: "${{") {
            if open.lowerBound > rest.startIndex { pieces.append(.text(rest[..<open.lowerBound])) }
            guard let close = rest[open.upperBound...].firstRange(of: "}}") else {
                return .failure(BadExpression(text: String(rest[open.lowerBound...])))
            }
            let inner = rest[open.upperBound..<close.lowerBound].trimmingSpaces()
            guard inner.hasPrefix("params."), Names.isParamName(String(inner.dropFirst("params.".count))) else {
                return .failure(BadExpression(text: String(rest[open.lowerBound..<close.upperBound])))
            }
            pieces.append(.param(String(inner.dropFirst("params.".count))))
            rest = rest[close.upperBound...]
        }
        if !rest.isEmpty { pieces.append(.text(rest)) }
        return .success(pieces)
    }

    /// The parameter names `template` references, in order, or the first bad expression.
    static func references(_ template: String) -> Result<[String], BadExpression> {
        pieces(template).map { pieces in
            pieces.compactMap { piece in
                if case let .param(name) = piece { return name }
                return nil
            }
        }
    }

    /// `template` with every `${{ params.NAME }}` replaced by `params[NAME]` (an unknown
    /// name, which validation rules out, becomes the empty string). A template that does
    /// not parse, which validation also rules out, is returned unchanged.
    public static func substitute(_ template: String, params: [String: String]) -> String {
        guard case let .success(pieces) = pieces(template) else { return template }
        var result = ""
        for piece in pieces {
            switch piece {
            case let .text(text): result += text
            case let .param(name): result += params[name] ?? ""
            }
        }
        return result
    }
}

extension Substring {
    /// The substring without leading and trailing spaces and tabs.
    func trimmingSpaces() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return self[endIndex...]
        }
        return self[first...last]
    }
}
