import Foundation

/// Mean, standard deviation and coefficient of variation (差异系数) of one indicator over a
/// county's schools, as SPEC §3.1 defines them.
public struct Dispersion: Sendable, Hashable, Codable {
    public var mean: Double
    public var standardDeviation: Double
    public var cv: Double
    public var schools: Int
}

public enum CoefficientOfVariation {
    /// - Parameters:
    ///   - values: each school's indicator value X_i.
    ///   - weights: each school's students P_i (same order). Schools with P_i = 0 are skipped.
    ///   - weighting: `.students` gives X̄ = Σ X_i·P_i / P and S = √(Σ P_i·(X_i − X̄)² / P)
    ///     (population form); `.unweighted` treats every school alike (divide by n).
    /// - Throws: `.noParticipants` with no school, `.zeroMean` when X̄ = 0.
    public static func compute(
        values: [Double], weights: [Double], weighting: Programme.CVWeighting = .students
    ) throws(EvaluationError) -> Dispersion {
        precondition(values.count == weights.count, "values and weights must pair up")
        var total = 0.0, weightedSum = 0.0, n = 0
        for i in values.indices where weights[i] > 0 {
            let w = weighting == .students ? weights[i] : 1
            total += w
            weightedSum += w * values[i]
            n += 1
        }
        guard n > 0, total > 0 else { throw .noParticipants }
        let mean = weightedSum / total
        guard mean != 0 else { throw .zeroMean }
        var squares = 0.0
        for i in values.indices where weights[i] > 0 {
            let w = weighting == .students ? weights[i] : 1
            let d = values[i] - mean
            squares += w * d * d
        }
        let sd = (squares / total).squareRoot()
        return Dispersion(mean: mean, standardDeviation: sd, cv: sd / abs(mean), schools: n)
    }
}
