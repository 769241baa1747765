/// Answers for the demo's survey campaigns: reproducible, mostly satisfied (about 87% of
/// Likert answers are 非常满意 or 满意), every item answered (answers to questions that do not
/// apply are dropped on submission, as a respondent's would be).
public enum DemoSurveys {
    public static func answers(_ survey: Survey, _ random: inout SeededGenerator) -> ChecklistAnswers {
        var answers = ChecklistAnswers()
        for item in survey.items {
            let roll = Double.random(in: 0..<1, using: &random)
            switch item.type {
            case .likert:
                let id =
                    switch roll {
                    case ..<0.46: "very_satisfied"
                    case ..<0.87: "satisfied"
                    case ..<0.94: "neutral"
                    case ..<0.97: "dissatisfied"
                    case ..<0.98: "very_dissatisfied"
                    default: "dont_know"
                    }
                answers[item.id] = .choice(item.choices.contains { $0.id == id } ? id : item.choices[0].id)
            case .yesNo: answers[item.id] = .bool(item.id == "irregular_fees" ? roll < 0.03 : roll < 0.7)
            case .choice: answers[item.id] = .choice(item.choices[Int(roll * Double(item.choices.count))].id)
            case .number:
                answers[item.id] = .number(item.id == "grade" ? Double(4 + Int(roll * 6)) : Double(1 + Int(roll * 30)))
            case .text, .photo: break
            }
        }
        return answers
    }
}
