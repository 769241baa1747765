/// The demo library: a few policy-like texts at each level (Dudao's own summaries written for
/// the demo, not official wording), so the library and its search show something real.
public enum DemoDocuments {
    public struct Item: Sendable {
        public var title: String
        public var kind: DocumentKind
        public var region: String
        public var year: Int
        public var tags: [String]
        public var isPublic: Bool
        public var text: String
    }

    public static let items: [Item] = [
        Item(
            title: "县域义务教育优质均衡发展督导评估办法（要点摘编）", kind: .policy, region: "", year: 2017, tags: ["优质均衡", "评估办法"], isPublic: true,
            text: """
                本摘编为 Dudao 演示数据，概述县域义务教育优质均衡发展督导评估的主要内容，非官方原文。
                评估内容包括资源配置、政府保障程度、教育质量和社会认可度四个方面。
                资源配置七项指标均要达到规定要求，每所学校至少六项指标达到要求，其余指标不低于要求的85%；
                小学、初中校际差异系数分别不高于0.50和0.45。社会认可度达到85%以上。
                """),
        Item(
            title: "中小学校责任督学挂牌督导办法（要点摘编）", kind: .policy, region: "", year: 2013, tags: ["责任督学", "挂牌督导"], isPublic: true,
            text: """
                本摘编为演示数据，非官方原文。责任督学对所负责学校实施经常性督导，每月至少一次到校。
                督导事项包括学校管理、招生、收费、课程开设、学生课业负担、教育教学质量、师德师风、safety 安全工作等。
                发现问题及时督促整改，重大问题及时报告。
                """),
        Item(
            title: "河南省义务教育优质均衡发展督导评估工作方案（演示）", kind: .plan, region: "41", year: 2024, tags: ["工作方案"], isPublic: false,
            text: """
                各市、县（市、区）人民政府按照“自评、市级复核、省级评估、公示、申报国家认定”的程序开展督导评估。
                县级自评报告应包括基本情况、自查情况和工作成效、存在的问题、整改措施和下一步打算。
                2024年申报的县应于10月底前完成自评。
                """),
        Item(
            title: "许昌市2024年教育督导工作要点（演示）", kind: .plan, region: "4110", year: 2024, tags: ["工作要点"], isPublic: false,
            text: """
                一、推进县域义务教育优质均衡发展，督促禹州市、长葛市、襄城县补齐资源配置短板。
                二、深化责任督学挂牌督导，开展开学专项督导和控辍保学专项督导。
                三、对整改逾期事项下发督办函，纳入年度目标考核。
                """),
        Item(
            title: "禹州市义务教育优质均衡发展自评工作方案", kind: .plan, region: "411081", year: 2024, tags: ["自评", "优质均衡"], isPublic: false,
            text: """
                成立县域义务教育优质均衡发展创建工作领导小组，分解资源配置、政府保障、教育质量、社会认可度任务到各部门。
                重点补齐生均体育运动场馆面积短板，新建、扩建城区学校运动场地。
                组织家长、教师、学生满意度问卷调查，社会认可度目标不低于85%。
                """),
        Item(
            title: "禹州市体育场馆面积整改佐证（演示）", kind: .evidence, region: "411081", year: 2024, tags: ["佐证", "资源配置"], isPublic: false,
            text: """
                2024年新建塑胶运动场两处，新增体育运动场馆面积12400平方米，涉及磨街乡中心小学、鸠山镇中心小学。
                附：验收单、照片、资金拨付凭证。
                """),
    ]
}
