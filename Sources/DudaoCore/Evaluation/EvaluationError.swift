/// A result that cannot be computed, reported as a value (never a NaN).
public enum EvaluationError: Error, Sendable, Hashable, Codable {
    /// X̄ = 0: the CV is undefined.
    case zeroMean
    /// No school of the stage takes part.
    case noParticipants

    public var code: String {
        switch self {
        case .zeroMean: "zero_mean"
        case .noParticipants: "no_participants"
        }
    }

    public func message(_ language: Language) -> String {
        switch (self, language) {
        case (.zeroMean, .zh): "均值为0，无法计算差异系数（请检查是否漏填）"
        case (.zeroMean, .en): "mean is 0, the coefficient of variation is undefined (check for missing data)"
        case (.noParticipants, .zh): "无参评学校"
        case (.noParticipants, .en): "no participating schools"
        }
    }
}
