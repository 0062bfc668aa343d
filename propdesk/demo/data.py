"""What the demo company is made of: its offices, people's names, the catalogue and the words
customers and staff use. Plain data; ``builder`` turns it into records.

The names and texts are Chinese because they are data (a Shenzhen property company's customers
and services), not interface strings.
"""

from decimal import Decimal

COMPANY = {"name": "K物业公司", "code": "k", "complaint_line": "+8675526880001"}
COMPANY_PHONE = "0755-26880000"

# One management office per community. Line numbers are Shenzhen (0755) numbers, E.164.
# ``buildings``: how many; ``floors``: per building; two entrances, two rooms per floor each.
OFFICES = [
    {
        "code": "cuiyuan",
        "name": "翠苑花园管理处",
        "community": "翠苑花园",
        "address": "深圳市南山区翠苑路88号",
        "lines": {
            "complaint": "+8675526881101",
            "service": "+8675526881102",
            "duty": "+8675526881103",
        },
        "buildings": 12,
        "floors": (6, 7),
    },
    {
        "code": "bihu",
        "name": "碧湖湾管理处",
        "community": "碧湖湾",
        "address": "深圳市福田区碧湖路16号",
        "lines": {
            "complaint": "+8675526883101",
            "service": "+8675526883102",
            "duty": "+8675526883103",
        },
        "buildings": 10,
        "floors": (11, 18),
    },
    {
        "code": "jinse",
        "name": "金色家园管理处",
        "community": "金色家园",
        "address": "深圳市宝安区新安街道金色大道200号",
        "lines": {
            "complaint": "+8675526885101",
            "service": "+8675526885102",
            "duty": "+8675526885103",
        },
        "buildings": 14,
        "floors": (7, 9),
    },
]

# Common surnames, the most frequent first (they are drawn with falling weights).
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤"
)

_GIVEN_NAMES = (
    "伟 芳 娜 秀英 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀兰 霞 平 刚 桂英 建华 文 华 红 "
    "志强 建国 海燕 晓东 丽华 国强 玉兰 婷婷 浩然 子轩 梓涵 欣怡 宇轩 雨桐 思远 嘉怡 俊杰 佳琪 "
    "一鸣 晨曦 文博 雅琴 志明 春梅 秀珍 凤英 淑珍 德明 永强 建军 海涛 晓燕 立新 卫东 红梅 金凤 "
    "丽娟 雪梅 晓丽 振华 国庆 建平 志刚 小红 宏伟 鹏 飞 斌 辉 波 健 琳 颖 倩 雪 慧 莉 萍 玲 亮 "
    "浩 凯 晶 蕾 子涵 诗涵 梦琪 博文 天宇 家豪 晓明 美玲 淑华 春生 桂兰 荣 彬 峰 松 琴 燕 "
    "玉珍 文华 少华 志伟 国华 海波 丽萍 秋菊 佩玲 锦荣 嘉欣 泽宇 思琪 雨萱 晓峰 建新 伟民"
)
GIVEN_NAMES = _GIVEN_NAMES.split()

# Mobile prefixes in use in China (all valid per phonenumbers' metadata).
_MOBILE_PREFIXES = (
    "130 131 132 133 134 135 136 137 138 139 150 151 152 153 155 156 157 158 159 "
    "166 177 180 181 182 183 185 186 187 188 189 191 198 199"
)
MOBILE_PREFIXES = _MOBILE_PREFIXES.split()

# --- the catalogue ------------------------------------------------------------------------------

CATEGORIES = [
    # key, name, kind, position
    ("repair", "维修服务", "repair", 1),
    ("household", "家政服务", "household", 2),
    ("special", "特约服务", "special", 3),
    ("public", "公共事务", "public", 4),
]

HOURS_DAY = "8:00-20:00"
HOURS_24 = "24小时"
HOURS_OFFICE = "周一至周日 9:00-17:30"

# Each item: what the catalogue shows, what it costs, its procedure steps (title, detail,
# needs_photo), and what customers ask for and technicians write when they finish.
ITEMS = [
    # --- repairs (维修) ---
    {
        "category": "repair",
        "name": "水电维修",
        "description": "户内给排水及照明、插座线路的检修与更换,材料费另计。",
        "hours": HOURS_24,
        "pricing": "from",
        "price": Decimal("30"),
        "completion_hours": 24,
        "steps": [
            ("上门查看", "出示工作证,穿鞋套,向客户确认故障部位。", False),
            ("断水断电", "维修前关闭相应水阀或电闸,确保安全。", False),
            ("检修更换", "按规范更换损坏部件,材料经客户确认。", False),
            ("试水试电", "恢复供水供电,当面测试正常。", False),
            ("清理现场", "清理杂物,请客户验收签字。", False),
        ],
        "problems": [
            "厨房水龙头一直滴水",
            "卫生间插座没有电",
            "客厅灯开关坏了,灯打不开",
            "热水器进水管接头漏水",
            "总闸经常跳闸,合不上",
            "阳台水管冻裂渗水",
            "马桶水箱一直流水",
        ],
        "work": [
            "更换水龙头阀芯,试水正常",
            "更换插座面板一个,通电测试正常",
            "更换开关面板,灯具工作正常",
            "重新缠生料带并更换接头,无渗漏",
            "查出厨房插座线路短路,已修复,空开正常",
            "更换马桶进水阀,水箱止水正常",
        ],
        "unsatisfied": ["修好后第二天又开始滴水", "插座还是时有时无", "接头处还有点渗水"],
    },
    {
        "category": "repair",
        "name": "管道疏通",
        "description": "厨房、卫生间下水管道及地漏堵塞的疏通。",
        "hours": HOURS_24,
        "pricing": "fixed",
        "price": Decimal("80"),
        "completion_hours": 12,
        "steps": [
            ("上门查看", "确认堵塞位置,告知客户疏通方法。", False),
            ("铺设防护", "在作业区域铺设防护布,防止污染地面。", False),
            ("疏通作业", "使用疏通机疏通,取出堵塞物。", False),
            ("放水测试", "连续放水检查排水是否通畅。", False),
        ],
        "problems": [
            "厨房下水道堵了,水排不下去",
            "卫生间地漏反水有异味",
            "马桶堵塞",
            "洗手盆下水很慢",
            "阳台地漏堵塞,下雨积水",
        ],
        "work": [
            "疏通厨房下水管,取出油污杂物,排水通畅",
            "疏通地漏并更换防臭芯",
            "疏通马桶,取出异物,冲水正常",
            "清理洗手盆存水弯,排水正常",
        ],
        "unsatisfied": ["下水还是很慢", "过了两天又堵了"],
    },
    {
        "category": "repair",
        "name": "门窗维修",
        "description": "户内门、窗、合页、滑轮、把手、纱窗的调整与更换,配件费另计。",
        "hours": HOURS_DAY,
        "pricing": "from",
        "price": Decimal("50"),
        "completion_hours": 48,
        "steps": [
            ("上门查看", "检查门窗损坏情况,说明维修方案和配件价格。", False),
            ("拆卸检修", "拆下损坏配件,注意保护门窗及墙面。", False),
            ("安装调试", "安装新配件,调整至开关顺畅。", False),
            ("清理验收", "清理现场,请客户试用验收。", False),
        ],
        "problems": [
            "卧室门关不上,门锁对不上",
            "铝合金窗推拉很费劲",
            "纱窗破了需要更换",
            "卫生间门合页松动",
            "窗户把手断了",
        ],
        "work": [
            "调整门锁扣板位置,开关正常",
            "更换推拉窗滑轮两个,推拉顺畅",
            "更换纱网,安装牢固",
            "紧固并更换合页一副",
        ],
        "unsatisfied": ["门关不严,仍有缝隙", "窗户推拉还是卡"],
    },
    {
        "category": "repair",
        "name": "屋面漏水",
        "major_defect": True,  # M14: the result is watched
        "description": "顶层屋面、天台渗漏的查找与修复,保修期内免费。",
        "hours": HOURS_24,
        "pricing": "free",
        "price": Decimal("0"),
        "completion_hours": 72,
        "steps": [
            ("现场勘查", "入户查看渗漏位置,上屋面查找渗漏点。", False),
            ("制定方案", "确定修复范围和防水材料,告知客户工期。", False),
            ("防水修复", "清理基层,涂刷防水涂料或铺设卷材。", False),
            ("闭水试验", "做24小时闭水试验,确认无渗漏。", False),
            ("拍照存档", "拍摄修复部位照片存档,以备回访复查。", True),
        ],
        "problems": [
            "顶楼卧室天花板漏水",
            "下大雨后客厅吊顶有水渍",
            "天台防水层开裂,楼下渗水",
        ],
        "work": [
            "屋面裂缝处重做防水,闭水试验无渗漏",
            "更换屋面破损卷材约6平方米,闭水合格",
        ],
        "unsatisfied": ["下雨后天花板还有水印", "还在渗水"],
    },
    {
        "category": "repair",
        "name": "墙面渗水",
        "major_defect": True,  # M14: the result is watched
        "description": "外墙、卫生间墙面渗水、返潮的查找与处理。",
        "hours": HOURS_DAY,
        "pricing": "free",
        "price": Decimal("0"),
        "completion_hours": 72,
        "steps": [
            ("现场勘查", "确认渗水位置,判断来源(外墙、管道或邻户)。", False),
            ("查找水源", "必要时入邻户检查,做闭水或通水测试。", False),
            ("修复处理", "封堵渗漏点,修补墙面。", False),
            ("拍照存档", "拍摄修复前后照片,约定回访时间。", True),
        ],
        "problems": [
            "卧室外墙一下雨就渗水",
            "卫生间隔壁墙面发霉起皮",
            "楼上卫生间漏水渗到我家墙面",
        ],
        "work": [
            "外墙裂缝注胶封堵,墙面修补",
            "楼上卫生间防水层破损已修复,墙面待干后修补",
        ],
        "unsatisfied": ["墙面还有水印", "返潮还没解决"],
    },
    {
        "category": "repair",
        "name": "灯具更换",
        "description": "户内灯泡、灯管、吸顶灯的更换安装,灯具由客户提供或代购。",
        "hours": HOURS_DAY,
        "pricing": "per_unit",
        "price": Decimal("15"),
        "unit": "盏",
        "completion_hours": 24,
        "steps": [
            ("上门确认", "确认需更换的灯具数量和型号。", False),
            ("断电安装", "断开灯具电源后拆旧装新。", False),
            ("通电测试", "恢复电源测试,清理现场。", False),
        ],
        "problems": ["客厅吸顶灯不亮了,需要换灯", "厨房灯管闪烁", "卫生间灯泡坏了"],
        "work": ["更换吸顶灯一盏,工作正常", "更换灯管两根,照明正常"],
        "unsatisfied": ["换的灯还是闪"],
    },
    {
        "category": "repair",
        "name": "空调清洗",
        "description": "分体挂机、柜机的内机拆洗消毒,夏季高峰请提前预约。",
        "hours": HOURS_DAY,
        "pricing": "per_unit",
        "price": Decimal("120"),
        "unit": "台",
        "completion_hours": 72,
        "steps": [
            ("上门检查", "检查空调运行情况,告知清洗内容。", False),
            ("拆洗滤网", "拆下滤网和面板清洗。", False),
            ("蒸发器清洗", "使用专用清洗剂清洗蒸发器并消毒。", False),
            ("试机验收", "装回试机,出风正常后请客户验收。", False),
        ],
        "problems": ["空调有异味,需要清洗", "两台挂机需要清洗", "空调出风小,想清洗一下"],
        "work": ["清洗挂机两台,试机正常", "清洗柜机一台并消毒,出风正常"],
        "unsatisfied": ["清洗后还有异味"],
    },
    {
        "category": "repair",
        "name": "防盗门维修",
        "description": "防盗门锁体、锁芯、闭门器的维修与更换,锁芯费用另计。",
        "hours": HOURS_24,
        "pricing": "from",
        "price": Decimal("60"),
        "completion_hours": 24,
        "steps": [
            ("核实身份", "核实客户为本户业主或住户,登记后方可作业。", False),
            ("检查锁具", "检查锁体、锁芯和门框,说明维修方案。", False),
            ("维修更换", "维修或更换锁具配件。", False),
            ("开关测试", "反复开关测试,交付新钥匙。", False),
        ],
        "problems": ["防盗门锁芯转不动", "钥匙断在锁里了", "防盗门关门声音很大,闭门器坏了"],
        "work": ["更换C级锁芯一个,交付钥匙5把", "取出断钥匙,锁芯润滑后正常", "更换闭门器"],
        "unsatisfied": ["锁还是不好开"],
    },
    {
        "category": "repair",
        "name": "热水器维修",
        "description": "燃气、电热水器的常见故障检修,配件费另计。",
        "hours": HOURS_DAY,
        "pricing": "from",
        "price": Decimal("50"),
        "completion_hours": 48,
        "steps": [
            ("上门检查", "检查热水器型号和故障现象。", False),
            ("安全检查", "检查燃气或电源连接,排除安全隐患。", False),
            ("检修", "更换损坏配件。", False),
            ("试机", "试机出热水正常,告知使用注意事项。", False),
        ],
        "problems": ["电热水器不加热", "燃气热水器打不着火", "热水器漏水"],
        "work": ["更换加热管,加热正常", "更换点火针,打火正常"],
        "unsatisfied": ["热水器用了两天又不热了"],
    },
    {
        "category": "repair",
        "name": "公共设施报修",
        "description": "楼道灯、单元门禁、电梯、公共管道等公共部位的故障报修,免费。",
        "hours": HOURS_24,
        "pricing": "free",
        "price": Decimal("0"),
        "completion_hours": 24,
        "steps": [
            ("现场确认", "到现场确认故障,设置安全警示。", False),
            ("维修处理", "按设备维护规程维修。", False),
            ("恢复验证", "恢复使用并告知报修人处理结果。", False),
        ],
        "problems": [
            "3楼楼道灯不亮",
            "单元门禁刷卡没反应",
            "电梯按钮失灵",
            "楼道消防栓箱门坏了",
            "地下车库一盏灯一直闪",
        ],
        "work": ["更换楼道声控灯,工作正常", "门禁读卡器复位并更换电源,恢复正常"],
        "unsatisfied": ["楼道灯晚上还是不亮"],
    },
    {
        "category": "repair",
        "name": "瓷砖修补",
        "description": "墙地砖空鼓、破损的修补与更换,瓷砖由客户提供或代购。",
        "hours": HOURS_DAY,
        "pricing": "from",
        "price": Decimal("40"),
        "completion_hours": 48,
        "steps": [
            ("上门查看", "检查空鼓、破损范围,确认瓷砖型号。", False),
            ("拆除旧砖", "拆除空鼓或破损瓷砖,清理基层。", False),
            ("铺贴新砖", "按原样铺贴,注意平整度和缝隙。", False),
            ("勾缝清理", "勾缝、清理,告知客户24小时内勿踩踏。", False),
        ],
        "problems": ["客厅地砖空鼓,踩上去有响声", "卫生间墙砖裂了一块", "厨房地砖翘起来了"],
        "work": ["更换空鼓地砖4块,平整度合格", "更换破损墙砖一块,勾缝完成"],
        "unsatisfied": ["新砖颜色和原来的差别大"],
    },
    # Out of the service scope: declined with an explanation (M08).
    {
        "category": "repair",
        "name": "燃气管道改装",
        "description": "户内燃气管道的移位、改装须由燃气公司办理,不在物业服务范围内。",
        "hours": HOURS_OFFICE,
        "pricing": "free",
        "price": Decimal("0"),
        "completion_hours": 24,
        "in_scope": False,
        "problems": ["厨房装修想把燃气管道移一下位置", "想加装一个燃气接口"],
        "decline": [
            "燃气管道属燃气公司管理,物业无权改动。已告知客户向燃气公司申请改管,并提供了办理流程。",
            "已向客户解释燃气管道改装须由燃气公司持证人员施工,物业可协助联系,但不能自行改装。",
        ],
    },
    {
        "category": "repair",
        "name": "家用电器维修",
        "description": "电视、冰箱、洗衣机等家用电器的维修不在物业服务范围内,可协助联系厂家售后。",
        "hours": HOURS_OFFICE,
        "pricing": "free",
        "price": Decimal("0"),
        "completion_hours": 24,
        "in_scope": False,
        "problems": ["洗衣机不脱水了", "冰箱不制冷", "电视机没有图像"],
        "decline": [
            "家用电器维修不在物业服务范围内。已向客户说明,并建议联系品牌售后,客户表示理解。",
            "已告知客户电器维修须由厂家售后处理,物业可代为查询售后电话,客户同意自行联系。",
        ],
    },
    {
        "category": "repair",
        "name": "房屋结构改造",
        "description": "拆改承重墙、梁柱等涉及结构安全的改造,物业不提供并禁止施工。",
        "hours": HOURS_OFFICE,
        "pricing": "free",
        "price": Decimal("0"),
        "completion_hours": 24,
        "in_scope": False,
        "problems": ["想把客厅和卧室之间的墙打掉", "阳台想往外扩建"],
        "decline": [
            "涉及房屋结构安全,按装修管理规定不得拆改承重墙。已向客户解释规定并提供装修申请指引。",
            "阳台外扩违反规划及业主公约,物业不能提供此项服务。已向客户耐心说明,客户表示理解。",
        ],
    },
    # --- household services (家政) ---
    {
        "category": "household",
        "name": "家政保洁",
        "description": "日常居家保洁,按小时计费,最少2小时。",
        "hours": HOURS_DAY,
        "pricing": "per_unit",
        "price": Decimal("40"),
        "unit": "小时",
        "completion_hours": 48,
        "quantity": (2, 4),
        "problems": ["周六上午需要保洁3小时", "需要做一次全屋保洁", "厨房和卫生间需要清洁"],
        "work": ["完成全屋保洁", "厨房、卫生间深度清洁完成"],
        "unsatisfied": ["清洁不彻底,厨房油污未处理"],
    },
    {
        "category": "household",
        "name": "开荒保洁",
        "description": "新房装修后的首次全面保洁,按建筑面积计费。",
        "hours": HOURS_DAY,
        "pricing": "per_unit",
        "price": Decimal("8"),
        "unit": "平方米",
        "completion_hours": 72,
        "by_area": True,
        "problems": ["新装修完,需要开荒保洁", "装修结束,想预约开荒"],
        "work": ["完成开荒保洁,门窗玻璃、地面、厨卫清洁完毕"],
        "unsatisfied": ["窗户玻璃上还有胶印"],
    },
    {
        "category": "household",
        "name": "家电清洗",
        "description": "油烟机、洗衣机、冰箱的拆洗消毒。",
        "hours": HOURS_DAY,
        "pricing": "from",
        "price": Decimal("80"),
        "completion_hours": 72,
        "problems": ["油烟机需要清洗", "洗衣机有异味,需要拆洗", "冰箱需要清洗除味"],
        "work": ["油烟机拆洗完成,试机正常", "洗衣机内筒拆洗消毒完成"],
        "unsatisfied": ["油烟机清洗后还有油滴"],
    },
    {
        "category": "household",
        "name": "搬家服务",
        "description": "小区内及市内搬家,价格按物品数量和距离面议,起步价如下。",
        "hours": HOURS_DAY,
        "pricing": "from",
        "price": Decimal("300"),
        "completion_hours": 72,
        "problems": ["下周六要搬家,需要预约", "需要把家具搬到另一栋楼"],
        "work": ["搬家完成,物品无损坏", "家具搬运完成"],
        "unsatisfied": ["搬运时把柜子刮花了"],
    },
    {
        "category": "household",
        "name": "钟点工",
        "description": "做饭、照看老人等钟点服务,按小时计费。",
        "hours": HOURS_DAY,
        "pricing": "per_unit",
        "price": Decimal("35"),
        "unit": "小时",
        "completion_hours": 48,
        "quantity": (2, 4),
        "problems": ["需要钟点工帮忙做晚饭", "周末需要人照看老人半天"],
        "work": ["钟点服务完成"],
        "unsatisfied": ["服务人员迟到了"],
    },
    # --- special services (特约) ---
    {
        "category": "special",
        "name": "代收快递",
        "description": "业主外出时由服务中心代收快递,凭短信领取。",
        "hours": HOURS_DAY,
        "pricing": "free",
        "price": Decimal("0"),
        "completion_hours": 48,
        "special": True,
        "problems": ["这几天出差,请帮忙代收快递", "有一个大件快递,请服务中心代收"],
        "work": ["已代收快递并通知客户领取"],
        "unsatisfied": ["快递包装破损了"],
    },
    {
        "category": "special",
        "name": "代缴费用",
        "description": "代缴水电燃气费、有线电视费等,按实收取费用,不收手续费。",
        "hours": HOURS_OFFICE,
        "pricing": "free",
        "price": Decimal("0"),
        "completion_hours": 48,
        "special": True,
        "problems": ["请帮忙代缴本月水电费", "请代缴有线电视年费"],
        "work": ["已代缴并将票据放入客户信箱"],
        "unsatisfied": ["票据没有收到"],
    },
    {
        "category": "special",
        "name": "代订车票",
        "description": "代订火车票、机票,每单收取服务费。",
        "hours": HOURS_OFFICE,
        "pricing": "fixed",
        "price": Decimal("10"),
        "completion_hours": 24,
        "special": True,
        "problems": ["请帮忙订两张下周五去广州的高铁票", "需要代订春节回家的火车票"],
        "work": ["已订票并告知客户取票方式"],
        "unsatisfied": ["没订到想要的车次"],
    },
    {
        "category": "special",
        "name": "房屋代租",
        "description": "为业主发布房源、带看、签约,成交后收取服务费。",
        "hours": HOURS_OFFICE,
        "pricing": "from",
        "price": Decimal("500"),
        "completion_hours": 720,
        "special": True,
        "problems": ["想把房子租出去,请帮忙代租", "房屋委托出租"],
        "work": ["已成交出租,租赁合同已签订", "租客已入住,合同已备案"],
        "unsatisfied": ["租金比预期低"],
    },
    {
        "category": "special",
        "name": "花木代养",
        "description": "业主外出期间代为浇水养护盆栽花木,按月计费。",
        "hours": HOURS_DAY,
        "pricing": "per_unit",
        "price": Decimal("30"),
        "unit": "月",
        "completion_hours": 720,
        "special": True,
        "quantity": (1, 2),
        "problems": ["出国一个月,阳台的花请帮忙浇水", "请帮忙照看家里的盆栽"],
        "work": ["代养期间定期浇水,花木生长良好"],
        "unsatisfied": ["有一盆花枯了"],
    },
    # --- public affairs (公共事务) ---
    {
        "category": "public",
        "name": "开具证明",
        "description": "开具居住证明、物业费缴纳证明等。",
        "hours": HOURS_OFFICE,
        "pricing": "free",
        "price": Decimal("0"),
        "completion_hours": 24,
        "problems": ["需要开居住证明办理孩子入学", "需要物业费缴费证明"],
        "work": ["证明已开具并交客户"],
        "unsatisfied": ["证明上的名字写错了"],
    },
    {
        "category": "public",
        "name": "装修申请",
        "description": "办理装修登记、审核装修方案、发放装修许可证。",
        "hours": HOURS_OFFICE,
        "pricing": "free",
        "price": Decimal("0"),
        "completion_hours": 72,
        "problems": ["准备装修厨房,需要办理装修申请", "要重新装修卫生间,办理申请"],
        "work": ["装修方案已审核,已发放装修许可证"],
        "unsatisfied": ["审批时间太长"],
    },
    {
        "category": "public",
        "name": "门禁卡办理",
        "description": "新办或补办单元门禁卡,每张收取工本费。",
        "hours": HOURS_OFFICE,
        "pricing": "per_unit",
        "price": Decimal("20"),
        "unit": "张",
        "completion_hours": 24,
        "quantity": (1, 3),
        "problems": ["门禁卡丢了,需要补办", "家里来了老人,需要多办一张门禁卡"],
        "work": ["门禁卡已办理并授权"],
        "unsatisfied": ["新卡刷不开门"],
    },
    {
        "category": "public",
        "name": "车位申请",
        "description": "办理小区月租车位及访客车辆登记。",
        "hours": HOURS_OFFICE,
        "pricing": "free",
        "price": Decimal("0"),
        "completion_hours": 72,
        "problems": ["想申请一个月租车位", "换车了,需要更新车位登记"],
        "work": ["车位已分配,车辆已录入道闸系统"],
        "unsatisfied": ["道闸还是识别不了车牌"],
    },
    # --- items one office offers on its own ---
    {
        "category": "special",
        "name": "游泳池年卡",
        "office": "bihu",
        "description": "碧湖湾会所泳池年卡办理,每年5月至10月开放。",
        "hours": "5月至10月 9:00-21:00",
        "pricing": "fixed",
        "price": Decimal("600"),
        "completion_hours": 48,
        "special": True,
        "problems": ["想给孩子办一张泳池年卡", "办理游泳池年卡"],
        "work": ["年卡已办理并发放"],
        "unsatisfied": ["年卡信息登记有误"],
    },
    {
        "category": "special",
        "name": "会所场地预约",
        "office": "jinse",
        "description": "金色家园会所多功能厅预约,可用于业主聚会、兴趣活动。",
        "hours": "9:00-22:00",
        "pricing": "per_unit",
        "price": Decimal("50"),
        "unit": "小时",
        "completion_hours": 72,
        "special": True,
        "quantity": (2, 4),
        "problems": ["周末想预约会所办生日聚会", "预约会所多功能厅开读书会"],
        "work": ["场地已预约并布置完毕,活动结束已验收"],
        "unsatisfied": ["空调效果不好"],
    },
]

# How often each item is asked for, relative to the others (2 when not listed).
ITEM_WEIGHTS = {
    "水电维修": 10,
    "管道疏通": 8,
    "公共设施报修": 7,
    "门窗维修": 5,
    "灯具更换": 4,
    "空调清洗": 3,
    "防盗门维修": 3,
    "热水器维修": 3,
    "屋面漏水": 1,
    "家政保洁": 6,
    "代收快递": 6,
    "门禁卡办理": 4,
    "开具证明": 3,
    "装修申请": 3,
    "房屋代租": 1,
    "花木代养": 1,
}

# --- what people say ----------------------------------------------------------------------------

# General inquiries and the answer given (M08: answered in detail, and recorded).
INQUIRIES = [
    (
        "物业管理费什么时候交,可以怎么交?",
        "物业费按季度缴纳,每季度首月15日前。可在服务中心刷卡、扫码,或在业主网站在线缴纳。",
    ),
    (
        "小区装修允许的施工时间是几点到几点?",
        "工作日8:00-12:00、14:00-18:00可以施工,周末及节假日禁止产生噪音的施工。",
    ),
    (
        "停车月卡怎么办理,多少钱一个月?",
        "携带行驶证和房产证到服务中心办理,地面车位每月300元,地下车位每月450元。",
    ),
    ("明天停水是怎么回事?", "明天9:00-15:00因二次供水水箱清洗停水,已在各单元张贴通知,请提前储水。"),
    ("小区快递柜在哪里?", "快递柜在南门岗亭旁和5栋架空层各有一组,大件快递可由服务中心代收。"),
    ("养狗需要到物业登记吗?", "需要。请携带犬只免疫证到服务中心登记,遛狗请拴绳并及时清理粪便。"),
    ("电梯什么时候年检?", "本月20日起各栋电梯依次年检,每台约2小时,具体时间见电梯厅通知。"),
    ("小区可以安装充电桩吗?", "可以。需提供车位产权或租赁证明,经供电部门报装后由物业配合施工。"),
    ("房子出租需要到物业备案吗?", "需要。请业主和租客携带身份证、租赁合同到服务中心登记备案。"),
    (
        "垃圾分类投放时间是什么时候?",
        "每天7:00-9:00和18:00-21:00在各投放点定时投放,其余时间请投放到误时投放点。",
    ),
    ("访客车辆怎么进小区?", "访客车辆在岗亭登记后可临时停放,前1小时免费,之后每小时5元。"),
    (
        "业委会换届选举什么时候开始?",
        "业委会换届筹备组将于下月成立,届时会在公告栏和业主群发布选举公告。",
    ),
    ("泳池今年什么时候开放?", "泳池5月1日开放,开放时间9:00-21:00,需凭年卡或次卡入场。"),
    ("家里要办满月酒,可以借用会所吗?", "可以预约会所多功能厅,请提前三天到服务中心登记。"),
]

# Questions about a catalogue item; the answer is built from the item itself.
ITEM_QUESTIONS = ["{name}怎么收费?", "{name}需要提前多久预约?", "请问有{name}服务吗?"]

# Complaints (M17) about things a technician can put right, and what was done.
COMPLAINTS = [
    ("楼道灯坏了三天了一直没人修", "已更换楼道灯并检查整栋楼道照明,向客户致歉"),
    ("地下车库下雨后积水,车开不进去", "疏通车库排水沟,加装临时抽水泵"),
    ("电梯这周停了两次,老人上下楼很困难", "电梯维保单位已更换控制板,增加巡检频次"),
    ("楼上装修晚上九点还在打电钻", "已上门制止并重申装修时间规定,加强夜间巡查"),
    ("垃圾桶满了没人清,有异味", "增加垃圾清运频次至每日两次,已清洗垃圾桶"),
    ("维修师傅约好上午来,下午才到", "已向客户致歉,对维修工进行批评教育并纳入考核"),
    ("绿化带蚊虫太多,要求消杀", "已对全小区绿化带进行消杀,每周消杀一次"),
    ("单元门禁坏了,陌生人随便进出", "更换门禁电磁锁,恢复门禁功能"),
    ("邻居在走廊堆放杂物,影响通行", "已劝导邻居清理杂物,楼道已恢复畅通"),
    ("小区南门路灯晚上不亮,很不安全", "更换路灯灯头三个,照明恢复"),
]

SUGGESTIONS = [
    ("建议在儿童游乐区加装遮阳棚", "感谢建议,已列入下季度改造计划,预计两个月内完成。"),
    ("建议增加电动车充电桩", "已联系供电部门勘查,计划在3栋架空层增设20个充电位。"),
    ("希望周末也能办理门禁卡", "服务中心周末已安排值班人员,可办理门禁卡等业务。"),
    ("建议在小区门口设置快递临时存放点", "已与快递公司协商,在南门增设快递柜一组。"),
    ("建议定期组织业主活动", "管理处每月组织一次社区活动,欢迎关注公告栏通知。"),
]

PRAISES = [
    ("表扬维修师傅半夜上门抢修水管", "感谢您的表扬,已转达给维修班组并在月度评优中予以表彰。"),
    ("感谢保安帮老人把东西送上楼", "感谢您的肯定,我们会继续做好服务。"),
    ("服务中心客服态度很好,办事效率高", "谢谢您的鼓励,已向服务中心全体员工转达。"),
    ("保洁阿姨把楼道打扫得很干净", "感谢表扬,已转达保洁班组。"),
]

CONFIRMATIONS = [
    "已与客户确认故障情况,约定{when}上门",
    "与客户确认需求,客户要求{when}前处理完毕",
    "电话确认服务内容及上门时间:{when}",
    "已确认服务地址和联系人,约定{when}",
]
WHEN = ["今天下午", "明天上午", "今天下班后", "明天下午三点", "周六上午"]

COMPLAINT_CONFIRMATIONS = [
    "认真倾听客户陈述,对给客户带来的不便表示歉意,承诺尽快处理并回复",
    "已记录客户投诉内容,向客户致歉并说明处理安排",
]

CANCEL_REASONS = [
    "客户来电说已自行解决,取消报修",
    "客户临时外出,改日再报",
    "重复报修,已合并到另一工单处理",
    "客户家中无人,多次联系未果,经客户同意取消",
]
QUOTE_REJECTED_CANCEL = "客户认为价格偏高,暂不需要此项服务"

EXTENSION_REASONS = [
    "需订购配件,预计两天到货",
    "墙面需晾干后才能进行下一步施工",
    "需协调楼上住户入户检查",
    "连续降雨,室外部位无法施工",
]
EXTENSION_CONTACT = "主动致电客户说明原因:{reason}。客户同意将完成时间延至{until}"

TRANSFER_REASONS = ["原维修工临时请假", "需要更专业的师傅处理", "原维修工手上工单较多"]
HAND_BACK_REASONS = ["需要两人配合作业,请重新安排", "客户要求改期,退回重新派工"]

PROGRESS_CALLS = [
    "客户来电询问维修进度,已告知师傅预计到达时间",
    "客户催促尽快上门,已联系维修工加急处理",
    "客户询问需要准备什么,已告知",
]

SATISFIED_COMMENTS = [
    "",
    "",
    "师傅很专业,谢谢",
    "上门及时,服务态度好",
    "很满意",
    "处理得很快",
    "收费合理,满意",
]

STEP_NOTES = ["", "", "", "已完成", "正常", "客户在场确认"]

FOLLOWUP_VISITS = [
    "电话回访维修质量,客户表示满意",
    "回访客户,维修部位使用正常,客户满意",
    "回访客户,客户对上门时间和服务态度表示满意",
    "回访客户,客户提出希望维修后清理更彻底,已记录",
]
REWORK_FOLLOWUP = "返修专项跟进:向客户致歉,确认返修安排和上门时间,客户表示认可"

# M13: what customers say when the weekly sample's call reaches them.
SAMPLE_FOLLOWUP_COMMENTS = [
    "维修效果好,没有再出现问题",
    "师傅上门准时,修得很好",
    "使用正常,满意",
    "问题已解决,感谢物业",
]
# M14: what the designated person finds at a watched repair.
INSPECTION_FINDINGS = [
    "上门查看修复部位,无渗漏,墙面干燥",
    "雨后复查,屋面及室内天花无水迹",
    "检查修复部位正常,客户确认无异常",
]

WALK_INS = [
    "到服务中心缴纳物业管理费",
    "到服务中心领取代收快递",
    "来访咨询停车月卡办理",
    "来访办理房屋出租备案",
    "来访领取装修许可证",
    "来访咨询小区活动安排",
    "来访反映邻居噪音问题,已登记并安排巡查",
]

MEETINGS = [
    "参加{month}月业委会沟通会,就服务质量交换意见",
    "参加{month}月客户代表座谈会,反馈了小区绿化和停车问题",
]
IMPORTANT_VISITS = [
    "登门拜访重要客户,了解对物业服务的意见,客户总体满意",
    "节日登门慰问,客户建议加强夜间巡逻",
]

OTHER_CALLS = [
    "来电咨询售房信息,非本小区业务",
    "打错电话",
    "推销电话",
    "来电未说话即挂断",
    "来电查询快递,已告知快递柜位置",
]

# M07: each office's activities — a past open day, one coming up, and one being planned.
OPEN_DAY = {
    "kind": "open_day",
    "title": "认识我们的家园——管理处开放日",
    "place": "管理处服务中心门口集合",
    "facilities": "水泵房、配电房、消防监控中心、电梯机房",
    "description": "由工程主管带队参观小区设备房,介绍日常维护保养,欢迎业主对小区管理提出建议。",
    "capacity": 20,
}
THEMED_ACTIVITIES = [
    {
        "kind": "early_education",
        "title": "亲子绘本阅读会",
        "place": "会所儿童活动室",
        "description": "3-6岁儿童及家长参加,老师带领共读绘本并做手工。",
        "capacity": 12,
    },
    {
        "kind": "stocks",
        "title": "理财与股票知识讲座",
        "place": "会所多功能厅",
        "description": "邀请证券公司讲师介绍基础理财知识与风险防范。",
        "capacity": 40,
    },
    {
        "kind": "culture",
        "title": "中秋游园会",
        "place": "小区中心广场",
        "description": "猜灯谜、做月饼、亲子游戏,欢迎全家参加。",
        "capacity": 60,
    },
    {
        "kind": "travel",
        "title": "周末出游常识分享会",
        "place": "会所多功能厅",
        "description": "自驾游路线规划、出行安全与常见证件办理。",
        "capacity": 30,
    },
]
ACTIVITY_COMMENTS = [
    "很有意义",
    "第一次进设备房,长见识了",
    "工作人员讲解很耐心",
    "希望多办几次",
    "",
]

# M17: the category of each of COMPLAINTS, in the same order.
COMPLAINT_CATEGORIES = [
    "facilities",
    "facilities",
    "facilities",
    "neighbours",
    "environment",
    "timeliness",
    "environment",
    "security",
    "neighbours",
    "facilities",
]
# M18: complaints that claim compensation, and how they were settled.
COMPENSATION_COMPLAINTS = [
    ("车库积水把车泡了, 要求物业赔偿维修费", "repair_quality", "3000", "1500"),
    ("楼上漏水把我家吊顶泡坏了, 物业维修不及时要赔偿", "timeliness", "5000", "2000"),
    ("保洁清洗外墙时弄脏了我家窗帘, 要求赔偿", "attitude", "600", "600"),
]
COMPLAINT_UNDERSTANDING = [
    "耐心听客户讲完, 理解客户的心情, 对给您带来的不便深表歉意",
    "完全理解您的感受, 换作是我也会着急",
]
COMPLAINT_EXPLANATION = [
    "已通知相关负责人, 今天内安排处理, 处理后主动回复您",
    "说明了原因和处理安排, 承诺明天中午前给您答复",
]
COMPLAINT_CAUSES = [
    ("process", "巡查制度未覆盖该区域, 问题未被及时发现"),
    ("staff", "员工服务意识不足, 未按规程操作"),
    ("supplier", "外包单位未按合同履约"),
    ("facility", "设备老化, 未列入更换计划"),
]
COMPLAINT_MEASURES = [
    "巡查表增加该区域, 主管每周抽查",
    "对相关员工进行服务规范培训并考核",
    "约谈外包单位, 按合同考核扣款",
    "列入本季度设备更换计划",
]
