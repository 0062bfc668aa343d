"""The company's default questionnaire, in Chinese with English labels: one satisfaction question
per service area, two choices, and the customer's opinions and suggestions. Installed as version 1
when there is none (``questionnaire_install_default``); the company changes it by publishing a new
version."""

SCALE_AREAS = [
    (
        "hotline",
        "您对服务中心和服务热线(接听、受理、答复)是否满意?",
        "How satisfied are you with the service center and hotline (answering, handling, replies)?",
    ),
    (
        "repairs",
        "您对维修服务(及时、质量、收费)是否满意?",
        "How satisfied are you with repairs (speed, quality, charges)?",
    ),
    ("cleaning", "您对小区清洁卫生是否满意?", "How satisfied are you with cleaning?"),
    (
        "security",
        "您对小区安全管理(门岗、巡逻、车辆)是否满意?",
        "How satisfied are you with security (gates, patrols, vehicles)?",
    ),
    ("greenery", "您对小区绿化养护是否满意?", "How satisfied are you with the greenery?"),
    (
        "facilities",
        "您对公共设施设备(电梯、供水、照明)的运行是否满意?",
        "How satisfied are you with shared facilities (lifts, water, lighting)?",
    ),
    (
        "fees",
        "您对收费的透明和合理是否满意?",
        "How satisfied are you with how clear and fair the fees are?",
    ),
    ("attitude", "您对员工的服务态度是否满意?", "How satisfied are you with our staff's attitude?"),
    (
        "overall",
        "总体而言,您对我们的物业服务是否满意?",
        "Overall, how satisfied are you with our property services?",
    ),
]

QUESTIONNAIRE = {
    "title": "客户满意率调查表",
    "title_en": "Customer satisfaction survey",
    "intro": (
        "尊敬的业主/住户:为了不断提高服务质量,我们每年六月和十一月进行满意率调查。"
        "请您抽出几分钟填写本表,每户一份。您的意见和建议我们将逐户回访。谢谢!"
    ),
    "intro_en": (
        "Dear resident: to keep improving our service we survey every household each June and "
        "November. Please take a few minutes to answer, one questionnaire per household. We will "
        "call back on every opinion and suggestion. Thank you!"
    ),
    "questions": [
        *[
            {"kind": "scale", "area": area, "text": zh, "text_en": en, "required": True}
            for area, zh, en in SCALE_AREAS
        ],
        {
            "kind": "choice",
            "text": "您最常通过哪种方式联系我们?",
            "text_en": "How do you usually contact us?",
            "required": False,
            "options": [
                {"value": "hotline", "label": "服务热线", "label_en": "Hotline"},
                {"value": "walk_in", "label": "到服务中心", "label_en": "At the service center"},
                {"value": "portal", "label": "网上/手机", "label_en": "Online / phone app"},
                {"value": "staff", "label": "找现场员工", "label_en": "Staff on site"},
            ],
        },
        {
            "kind": "multi",
            "text": "您希望我们优先改进哪些方面?(可多选)",
            "text_en": "What should we improve first? (choose any)",
            "required": False,
            "options": [
                {"value": "speed", "label": "维修速度", "label_en": "Repair speed"},
                {"value": "cleaning", "label": "清洁卫生", "label_en": "Cleaning"},
                {"value": "parking", "label": "停车管理", "label_en": "Parking"},
                {"value": "security", "label": "安全管理", "label_en": "Security"},
                {"value": "greenery", "label": "绿化环境", "label_en": "Greenery"},
                {"value": "communication", "label": "沟通与通知", "label_en": "Communication"},
                {"value": "activities", "label": "社区活动", "label_en": "Community activities"},
            ],
        },
        {
            "kind": "text",
            "text": "您对我们的服务还有哪些意见和建议?",
            "text_en": "Any other opinions or suggestions about our service?",
            "required": False,
            "is_opinion": True,
        },
    ],
}
