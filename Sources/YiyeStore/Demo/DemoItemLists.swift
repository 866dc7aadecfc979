import YiyeCore

/// The demo departments' random-inspection item lists, and which overlap each demo joint list resolves to which lead.
enum DemoItemLists {
    private static func item(
        _ code: String, _ project: String, _ subItem: String, _ content: String, _ basis: String, industries: [String],
        kinds: [InspectedObject.Kind] = [.enterprise, .individualTrader], methods: [InspectionMethod],
        qualifications: [String], ratio: Double? = nil, frequency: String = "每年按计划抽查", points: String, materials: String
    ) -> InspectionItem {
        InspectionItem(
            code: code, project: project, subItem: subItem, content: content, legalBasis: basis, subject: "示范县\(subjectName(code))",
            objectKinds: kinds, methods: methods, industries: industries, qualifications: qualifications, ratioPercent: ratio,
            frequency: frequency,
            guideline: .init(
                procedure: "出示执法证件，说明来意；按检查要点逐项核查并记录；现场反馈检查情况，由被检查对象签字确认。",
                points: points, methods: methods.map(\.label).joined(separator: "、")),
            materials: materials
        )
    }

    private static func subjectName(_ code: String) -> String {
        switch code.prefix(2) {
        case "SW": "商务局"
        case "YJ": "应急管理局"
        case "XF": "消防救援大队"
        case "HB": "生态环境局"
        case "WJ": "卫生健康委员会"
        default: "市场监督管理局"
        }
    }

    static let lists: [String: [InspectionItem]] = [
        "commerce": [
            item(
                "SW-01", "成品油零售经营资格", "经营资格", "是否取得成品油零售经营批准证书，证载事项与实际经营是否一致",
                "《成品油流通管理办法》第十条", industries: ["fuel_retail"], kinds: [.enterprise], methods: [.documentReview, .onSite],
                qualifications: ["成品油流通"], points: "核对批准证书有效期、经营地址、经营范围", materials: "成品油零售经营批准证书、营业执照"),
            item(
                "SW-02", "成品油进销存", "购销台账", "是否建立成品油购销台账，油品来源是否合法",
                "《成品油流通管理办法》第二十六条", industries: ["fuel_retail"], kinds: [.enterprise], methods: [.documentReview],
                qualifications: ["成品油流通"], points: "抽查近三个月进货凭证与台账", materials: "成品油购销台账、进货发票及供货方资质"),
        ],
        "emergency": [
            item(
                "YJ-01", "危险化学品经营许可", "许可证", "是否取得危险化学品经营许可证并在有效期内",
                "《危险化学品安全管理条例》第三十三条", industries: ["fuel_retail", "hazardous_chemicals"], kinds: [.enterprise],
                methods: [.documentReview], qualifications: ["危险化学品"], ratio: 10, points: "核对许可范围与实际经营品种",
                materials: "危险化学品经营许可证"),
            item(
                "YJ-02", "安全生产责任制", "主要负责人和安全管理人员", "主要负责人、安全管理人员是否经考核合格",
                "《中华人民共和国安全生产法》第二十七条", industries: ["fuel_retail", "hazardous_chemicals"], kinds: [.enterprise],
                methods: [.documentReview], qualifications: ["安全生产"], points: "核查安全生产知识和管理能力考核合格证明",
                materials: "安全生产责任制文件、考核合格证明"),
            item(
                "YJ-03", "消防安全", "消防设施器材", "消防设施、器材配置及完好有效情况",
                "《中华人民共和国消防法》第十六条", industries: ["fuel_retail", "hazardous_chemicals"], kinds: [.enterprise],
                methods: [.onSite], qualifications: ["安全生产"], points: "查看灭火器、消防沙等器材配置和检查记录",
                materials: "消防设施器材检查维护记录"),
            item(
                "YJ-04", "危险化学品储存", "储存场所", "危险化学品是否储存在专用仓库并按规定设置标志",
                "《危险化学品安全管理条例》第二十四条", industries: ["hazardous_chemicals"], kinds: [.enterprise], methods: [.onSite],
                qualifications: ["危险化学品"], points: "查看专用仓库、储存方式、安全标志", materials: "储存场所平面图、出入库记录"),
        ],
        "fire": [
            item(
                "XF-01", "消防安全", "消防设施器材", "消防设施，器材配置及完好有效情况",
                "中华人民共和国消防法 第16条", industries: ["fuel_retail", "catering", "hazardous_chemicals"],
                methods: [.onSite], qualifications: ["消防监督"], points: "测试消防设施运行状态，查看器材有效期",
                materials: "消防设施维护保养记录、消防检测报告"),
            item(
                "XF-02", "消防安全", "疏散通道", "疏散通道、安全出口是否畅通，是否设置符合标准的疏散指示标志",
                "《中华人民共和国消防法》第二十八条", industries: ["catering", "hazardous_chemicals"], methods: [.onSite],
                qualifications: ["消防监督"], points: "实地查看疏散通道、安全出口和应急照明", materials: "防火巡查记录"),
            item(
                "XF-03", "消防安全管理", "防火检查", "是否落实消防安全责任制，开展防火检查和消防培训",
                "《机关、团体、企业、事业单位消防安全管理规定》第二十五条", industries: ["fuel_retail", "catering"],
                methods: [.documentReview], qualifications: ["消防监督"], points: "查看防火检查、培训和演练记录",
                materials: "消防安全制度、防火检查和培训演练记录"),
        ],
        "eco": [
            item(
                "HB-01", "大气污染防治", "油气回收", "加油站是否安装并正常使用油气回收装置",
                "《中华人民共和国大气污染防治法》第四十七条", industries: ["fuel_retail"], kinds: [.enterprise],
                methods: [.onSite, .samplingTest], qualifications: ["环境监察"], points: "检查油气回收装置运行、检测气液比",
                materials: "油气回收系统年度检测报告"),
            item(
                "HB-02", "大气污染防治", "油烟净化", "餐饮服务单位是否安装油烟净化设施并保持正常使用",
                "《中华人民共和国大气污染防治法》第八十一条", industries: ["catering"], methods: [.onSite],
                qualifications: ["环境监察"], points: "查看油烟净化设施运行和清洗记录", materials: "油烟净化设施清洗维护记录"),
            item(
                "HB-03", "危险废物管理", "贮存与转移", "危险废物是否按规定贮存、转移并执行联单制度",
                "《中华人民共和国固体废物污染环境防治法》第八十一条", industries: ["hazardous_chemicals", "fuel_retail"],
                kinds: [.enterprise], methods: [.onSite, .documentReview], qualifications: ["环境监察"],
                points: "查看危废贮存场所和转移联单", materials: "危险废物管理台账、转移联单"),
        ],
        "samr": [
            item(
                "SC-01", "计量器具", "加油机强制检定", "加油机是否经强制检定合格并在有效期内",
                "《中华人民共和国计量法》第九条", industries: ["fuel_retail"], kinds: [.enterprise], methods: [.onSite, .documentReview],
                qualifications: ["计量"], points: "核对检定证书与铅封，现场核验计量准确度", materials: "加油机检定证书"),
            item(
                "SC-02", "产品质量", "成品油质量", "销售的成品油质量是否符合国家标准",
                "《中华人民共和国产品质量法》第二十六条", industries: ["fuel_retail"], kinds: [.enterprise], methods: [.samplingTest],
                qualifications: ["产品质量"], ratio: 5, points: "按标准抽取油样送检", materials: "油品进货检验报告"),
            item(
                "SC-03", "食品安全", "餐饮具清洗消毒", "餐饮具是否按规定清洗消毒，消毒设施是否正常运转",
                "《中华人民共和国食品安全法》第五十六条", industries: ["catering"], methods: [.onSite], qualifications: ["食品安全"],
                points: "查看清洗消毒设施与消毒记录", materials: "餐饮具消毒记录"),
            item(
                "SC-04", "食品安全", "从业人员健康", "从事接触直接入口食品工作的人员是否取得健康证明",
                "《中华人民共和国食品安全法》第四十五条", industries: ["catering"], methods: [.documentReview],
                qualifications: ["食品安全"], points: "核对从业人员名册与健康证明", materials: "从业人员健康证明"),
            item(
                "SC-05", "药品经营", "执业药师", "是否按规定配备执业药师，处方药是否凭处方销售",
                "《中华人民共和国药品管理法》第五十二条", industries: ["drug_retail"], kinds: [.enterprise], methods: [.onSite, .documentReview],
                qualifications: ["药品监管"], points: "核对执业药师注册证与在岗情况，抽查处方", materials: "执业药师注册证、处方登记"),
            item(
                "SC-06", "药品经营", "药品储存", "药品储存条件是否符合要求，是否销售过期药品",
                "《药品经营质量管理规范》第八十三条", industries: ["drug_retail"], kinds: [.enterprise], methods: [.onSite],
                qualifications: ["药品监管"], points: "查看温湿度记录和近效期药品", materials: "温湿度监测记录、药品养护记录"),
            item(
                "SC-07", "特种设备", "使用登记与定期检验", "压力容器、压力管道等特种设备是否办理使用登记并定期检验",
                "《中华人民共和国特种设备安全法》第三十三条", industries: ["hazardous_chemicals", "fuel_retail"], kinds: [.enterprise],
                methods: [.documentReview, .commissionedAgency], qualifications: ["特种设备"], points: "核对使用登记证与定期检验报告",
                materials: "特种设备使用登记证、定期检验报告"),
        ],
        "health": [
            item(
                "WJ-01", "公共卫生", "餐饮具集中消毒", "餐饮具是否按规定清洗消毒、消毒设施是否正常运转",
                "《中华人民共和国食品安全法》第五十六条", industries: ["catering"], methods: [.onSite, .samplingTest],
                qualifications: ["卫生监督"], points: "查看消毒设施运行，抽检餐饮具", materials: "餐饮具消毒记录、集中消毒单位资质"),
            item(
                "WJ-02", "医疗服务", "药店坐堂诊疗", "零售药店内是否存在非法行医",
                "《医疗机构管理条例》第二十三条", industries: ["drug_retail"], kinds: [.enterprise], methods: [.onSite],
                qualifications: ["卫生监督"], points: "查看店内是否开展诊疗活动", materials: "相关人员资质证明"),
        ],
    ]

    /// For each demo industry, the lead of its merged overlap: fire leads fire safety at petrol stations, the
    /// originators lead elsewhere.
    static let overlapLeads: [String: JointList.ItemRef] = [
        "fuel_retail": .init(department: "fire", code: "XF-01"),
        "hazardous_chemicals": .init(department: "emergency", code: "YJ-03"),
        "catering": .init(department: "samr", code: "SC-03"),
    ]
}
