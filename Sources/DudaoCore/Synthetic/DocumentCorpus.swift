/// A generated library of policy-like Chinese documents for the search benchmark: titles and
/// paragraphs assembled from the phrases supervision offices write, with county names, years
/// and figures, so that two-character words (督导, 均衡) occur in most documents and longer
/// phrases in fewer, as in a real library. Deterministic for a seed.
public enum DocumentCorpus {
    public struct Item: Sendable {
        public var title: String
        public var text: String
        public var region: String
        public var kind: DocumentKind
        public var year: Int
    }

    static let places = ["禹州市", "长葛市", "襄城县", "鄢陵县", "建安区", "魏都区", "中原区", "二七区", "金水区", "惠济区", "巩义市", "新郑市", "登封市", "荥阳市", "中牟县"]
    static let topics = [
        "义务教育优质均衡发展", "责任督学挂牌督导", "春季开学专项督导", "控辍保学专项督导", "校园安全专项检查", "课后服务工作", "教育经费保障", "教师队伍建设",
        "学前教育普及普惠", "中小学校规范办学", "双减工作落实", "体育美育工作", "心理健康教育", "食品安全管理", "问题整改落实",
    ]
    static let kinds: [(DocumentKind, String)] = [
        (.policy, "的实施意见"), (.plan, "工作方案"), (.bulletin, "情况通报"), (.evidence, "整改佐证材料"), (.template, "检查表模板"), (.plan, "工作要点"),
    ]
    static let sentences = [
        "按照上级督导部门的统一部署，{p}结合实际制定本方案。", "{p}现有义务教育学校{n}所，在校学生{m}人。",
        "督导组采取听取汇报、查阅资料、实地查看、座谈访谈等方式开展督导。", "各学校要对照{t}要求逐项自查，建立问题台账，明确整改时限。",
        "责任督学每月至少到校督导一次，及时发现和督促解决学校存在的问题。", "{y}年全县新建、改扩建校舍{n}平方米，新增学位{m}个。",
        "生均体育运动场馆面积、生均教学仪器设备值等指标仍有差距。", "县级人民政府要落实教育经费“两个只增不减”要求。",
        "对整改不力、逾期未完成的单位下发督办函，并纳入年度目标考核。", "小学、初中校际差异系数分别为0.{a}和0.{b}，{c}。",
        "家长、教师、学生满意度调查结果显示，社会认可度为{s}%。", "严格落实义务教育免试就近入学，公办民办学校同步招生。",
        "加强教师队伍建设，县域内校长教师交流轮岗比例达到{k}%。", "落实课后服务全覆盖，学生参与率达到{s}%。",
        "开展校园安全隐患排查，发现问题{k}处，已整改{j}处。", "各乡镇中心学校要切实履行管理职责，确保各项工作落到实处。",
        "本通报所列问题，请相关学校于{y}年{mo}月底前完成整改并报送整改报告。", "优质均衡发展督导评估包括资源配置、政府保障程度、教育质量和社会认可度。",
        "坚持问题导向，强化结果运用，推动教育督导“长牙齿”。", "建立健全督学责任区制度，实现中小学校挂牌督导全覆盖。",
    ]

    public static func make(count: Int, seed: UInt64 = 11) -> [Item] {
        var random = SeededGenerator(seed: seed)
        func pick<T>(_ xs: [T]) -> T { xs[Int(random.next() % UInt64(xs.count))] }
        func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(random.next() % UInt64(range.count)) }
        let regions = [
            "411081", "411082", "411025", "411024", "411003", "411002", "410102", "410103", "410105", "410108", "410181", "410184", "410185",
            "410182", "410122",
        ]
        return (0..<count).map { _ in
            let placeIndex = int(0...(places.count - 1))
            let place = places[placeIndex]
            let topic = pick(topics)
            let (kind, suffix) = pick(kinds)
            let year = int(2018...2026)
            var text = ""
            for _ in 0..<int(8...20) {
                text += pick(sentences).replacingOccurrences(of: "{p}", with: place).replacingOccurrences(of: "{t}", with: topic)
                    .replacingOccurrences(of: "{y}", with: String(year)).replacingOccurrences(of: "{n}", with: String(int(20...400)))
                    .replacingOccurrences(of: "{m}", with: String(int(1000...90000))).replacingOccurrences(of: "{a}", with: String(int(20...60)))
                    .replacingOccurrences(of: "{b}", with: String(int(20...55))).replacingOccurrences(of: "{c}", with: pick(["均达到要求", "初中未达到要求"]))
                    .replacingOccurrences(of: "{s}", with: String(int(78...98))).replacingOccurrences(of: "{k}", with: String(int(5...40)))
                    .replacingOccurrences(of: "{j}", with: String(int(1...5))).replacingOccurrences(of: "{mo}", with: String(int(1...12)))
                text += int(0...3) == 0 ? "\n" : ""
            }
            return Item(title: "\(place)\(year)年\(topic)\(suffix)", text: text, region: regions[placeIndex], kind: kind, year: year)
        }
    }
}
