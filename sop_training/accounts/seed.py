"""Kosovo's police regions and the referral-mechanism agencies, seeded once."""

from .models import AgencyType as T

#: (code, Albanian name, Serbian Latin name)
REGIONS = [
    ("prishtina", "Prishtinë", "Priština"),
    ("prizren", "Prizren", "Prizren"),
    ("peja", "Pejë", "Peć"),
    ("mitrovica", "Mitrovicë", "Mitrovica"),
    ("gjilan", "Gjilan", "Gnjilane"),
    ("ferizaj", "Ferizaj", "Uroševac"),
    ("gjakova", "Gjakovë", "Đakovica"),
]

#: Agencies that work across Kosovo: (name, type).
NATIONAL_AGENCIES = [
    ("Kosovo Police – Directorate against Trafficking in Human Beings", T.POLICE),
    ("Kosovo Police – Border Police", T.POLICE),
    ("Office of the Chief State Prosecutor", T.PROSECUTION),
    ("Office for Protection and Assistance to Victims", T.PROSECUTION),
    (
        "Office of the National Anti-Trafficking Coordinator (Ministry of Internal Affairs)",
        T.JUSTICE,
    ),
    ("Ministry of Justice", T.JUSTICE),
    ("Kosovo Judicial Council", T.JUSTICE),
    ("Ministry of Finance, Labour and Transfers – Department of Social Welfare", T.SOCIAL_SERVICES),
    ("Labour Inspectorate", T.LABOUR_INSPECTION),
    ("Ministry of Health", T.HEALTH),
    ("University Clinical Centre of Kosovo", T.HEALTH),
    ("Ministry of Education", T.EDUCATION),
    ("Ministry of Foreign Affairs – Consular Services", T.JUSTICE),
    ("Interim Security Facility", T.SHELTER),
    ("PVPT – Centre for Protection of Victims and Prevention of Trafficking", T.SHELTER),
    ("Hope and Homes for Children", T.SHELTER),
    ("Centre for Protection of Women and Children", T.NGO),
    ("Liria", T.NGO),
    ("Women Wellness Centre", T.NGO),
    ("Safe House", T.SHELTER),
    ("IOM Mission in Kosovo", T.INTERNATIONAL),
    ("OSCE Mission in Kosovo", T.INTERNATIONAL),
]

#: Agencies present in every region: (name pattern, type); ``{region}`` is the region's name.
REGIONAL_AGENCIES = [
    ("Kosovo Police – Regional Directorate {region}", T.POLICE),
    ("Basic Prosecution Office {region}", T.PROSECUTION),
    ("Victims' Advocates Regional Office {region}", T.PROSECUTION),
    ("Centre for Social Work {region}", T.SOCIAL_SERVICES),
    ("Main Family Medicine Centre {region}", T.HEALTH),
    ("Municipality of {region}", T.MUNICIPALITY),
]
