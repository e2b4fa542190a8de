"""What a company is made of: functions, their units and the roles people hold in them.

This is data, not logic. Unit rows are kept in a compact text table so the whole catalogue can
be read (and reviewed for realism) at a glance:

    name | relative size | roles (";"-separated) | sub-unit names (";"-separated) | region

and an indented line continues the row above it. A role starting with "=" never takes a
seniority prefix ("Chief of Staff", not "Senior Chief of Staff"). The region ties sales units
to offices in that part of the world.
"""

from __future__ import annotations

from dataclasses import dataclass

# Seniority ladders for individual contributors: (prefix, share of people).
Ladder = tuple[tuple[str, float], ...]

DEFAULT_LADDER: Ladder = (("Junior ", 0.12), ("", 0.48), ("Senior ", 0.32), ("Lead ", 0.08))
ENGINEERING_LADDER: Ladder = (
    ("Junior ", 0.10),
    ("", 0.38),
    ("Senior ", 0.34),
    ("Staff ", 0.12),
    ("Principal ", 0.06),
)
SUPPORT_LADDER: Ladder = (("Junior ", 0.15), ("", 0.55), ("Senior ", 0.25), ("Lead ", 0.05))

# Individual contributors who report straight to a function head in a large function are its
# staff, not members of a sub-unit.
STAFF_ROLES: tuple[str, ...] = (
    "=Chief of Staff",
    "=Executive Assistant",
    "Program Manager",
    "Business Analyst",
)

REGIONS: tuple[str, ...] = ("EMEA", "AMER", "APAC")


@dataclass(frozen=True, slots=True)
class UnitSpec:
    name: str
    weight: float
    roles: tuple[str, ...]
    children: tuple[str, ...]
    region: str | None


@dataclass(frozen=True, slots=True)
class FunctionSpec:
    name: str
    head_title: str
    weight: float
    core: bool
    ladder: Ladder
    vp_title: str  # "{unit}" is replaced by the unit's own name
    lead_title: str
    units: tuple[UnitSpec, ...]


def _units(table: str) -> tuple[UnitSpec, ...]:
    rows: list[str] = []
    for line in table.strip().splitlines():
        # An indented line continues the row above (the table stays within the line length).
        if line[:1].isspace() and rows:
            rows[-1] += " " + line.strip()
        else:
            rows.append(line.strip())
    specs = []
    for line in rows:
        cells = [cell.strip() for cell in line.split("|")]
        name, weight, roles, children = cells[:4]
        region = cells[4] if len(cells) > 4 and cells[4] else None
        if "/" in name or "/" in children:
            raise ValueError(f"unit names are path segments and may not contain '/': {line!r}")
        if region is not None and region not in REGIONS:
            raise ValueError(f"unknown region {region!r}")
        specs.append(
            UnitSpec(
                name=name,
                weight=float(weight),
                roles=tuple(r.strip() for r in roles.split(";") if r.strip()),
                children=tuple(c.strip() for c in children.split(";") if c.strip()),
                region=region,
            )
        )
    return tuple(specs)


FUNCTIONS: tuple[FunctionSpec, ...] = (
    FunctionSpec(
        name="Engineering",
        head_title="Chief Technology Officer",
        weight=0.24,
        core=True,
        ladder=ENGINEERING_LADDER,
        vp_title="VP Engineering, {unit}",
        lead_title="Engineering Manager, {unit}",
        units=_units("""
Product Engineering | 1.4 | Software Engineer; Backend Engineer; Frontend Engineer | Web;
    Payments; Growth; Search; Integrations; Checkout
Platform | 1.0 | Platform Engineer; Site Reliability Engineer; Software Engineer | Reliability;
    Infrastructure; Developer Tools; Cloud Foundations; Observability
Core Services | 0.8 | Backend Engineer; Software Engineer | Identity; Billing; Notifications;
    Messaging; Public APIs
Data Engineering | 0.6 | Data Engineer; Software Engineer | Pipelines; Data Platform; Streaming;
    Warehouse
Mobile | 0.5 | iOS Engineer; Android Engineer; Mobile Engineer | iOS; Android; Mobile Platform
Frontend | 0.5 | Frontend Engineer; UI Engineer | Design System; Web Performance; Accessibility
Security | 0.4 | Security Engineer; Application Security Engineer | Application Security;
    Security Operations; Identity and Access; Governance and Risk
Quality Engineering | 0.4 | QA Engineer; Test Automation Engineer | Test Automation;
    Performance Testing; Release Quality
Machine Learning | 0.4 | Machine Learning Engineer; Research Scientist | Recommendations;
    Forecasting; ML Platform; Applied Research
Developer Experience | 0.25 | Software Engineer; Developer Advocate | Build Systems;
    Internal Tools; Documentation
Architecture | 0.15 | Software Architect | Enterprise Architecture; Solution Architecture
Technical Program Management | 0.15 | Technical Program Manager | Release Management;
    Engineering Programs
"""),
    ),
    FunctionSpec(
        name="Sales",
        head_title="Chief Revenue Officer",
        weight=0.16,
        core=True,
        ladder=DEFAULT_LADDER,
        vp_title="VP Sales, {unit}",
        lead_title="Sales Manager, {unit}",
        units=_units("""
North America | 1.2 | Account Executive; Account Manager; Sales Development Representative
    | US East; US West; US Central; Canada | AMER
EMEA | 1.0 | Account Executive; Account Manager; Sales Development Representative
    | UK and Ireland; DACH; France; Benelux; Nordics; Southern Europe;
    Central and Eastern Europe; Middle East and Africa | EMEA
Enterprise Accounts | 0.8 | Enterprise Account Executive; Key Account Manager
    | Strategic Accounts; Global Accounts; Public Sector; Financial Services
APAC | 0.6 | Account Executive; Account Manager | India; Southeast Asia;
    Australia and New Zealand; Japan and Korea | APAC
Sales Development | 0.6 | Sales Development Representative; Business Development Representative
    | Inbound; Outbound; Partner Sourced
Latin America | 0.5 | Account Executive; Account Manager | Brazil; Mexico; Andean Region;
    Southern Cone | AMER
Sales Engineering | 0.4 | Sales Engineer; Solutions Consultant | Solutions Consulting;
    Pre-Sales; Technical Evaluations
Sales Operations | 0.3 | Sales Operations Analyst; Deal Desk Analyst | Sales Analytics;
    Deal Desk; Territory Planning; Sales Tools
Partnerships | 0.3 | Partner Manager; Alliance Manager | Channel Partners; Alliances; Resellers
Sales Enablement | 0.15 | Sales Enablement Specialist; Sales Trainer | Onboarding;
    Sales Training; Playbooks
"""),
    ),
    FunctionSpec(
        name="Customer Support",
        head_title="Chief Customer Officer",
        weight=0.14,
        core=True,
        ladder=SUPPORT_LADDER,
        vp_title="VP Customer Support, {unit}",
        lead_title="Team Lead, {unit}",
        units=_units("""
Tier 1 Support | 1.5 | Customer Support Agent; Customer Support Specialist | Chat Support;
    Phone Support; Email Support; Social Care; Self-Service
Customer Success | 1.0 | Customer Success Manager; Onboarding Specialist | Enterprise Success;
    Mid-Market Success; Onboarding; Renewals
Tier 2 Support | 0.8 | Technical Support Engineer; Support Specialist | Technical Support;
    Escalations; Billing Support; Integrations Support
Professional Services | 0.5 | Implementation Consultant; Solutions Architect | Implementation;
    Migration Services; Training Services
Support Operations | 0.3 | Support Operations Analyst; Workforce Planner; Quality Analyst
    | Workforce Management; Quality Assurance; Support Tooling
Knowledge Management | 0.15 | Technical Writer; Knowledge Base Specialist | Help Center;
    Training Content
Community | 0.15 | Community Manager; Community Moderator | Forums; Customer Advocacy
"""),
    ),
    FunctionSpec(
        name="Operations",
        head_title="Chief Operating Officer",
        weight=0.13,
        core=True,
        ladder=DEFAULT_LADDER,
        vp_title="VP Operations, {unit}",
        lead_title="Team Lead, {unit}",
        units=_units("""
Supply Chain | 1.0 | Supply Chain Analyst; Demand Planner; Buyer | Demand Planning; Inventory;
    Supplier Management; Sourcing
Logistics | 1.0 | Logistics Coordinator; Warehouse Associate; Transport Planner | Warehousing;
    Transport; Fulfilment; Returns
Field Operations | 0.6 | Field Service Technician; Field Service Engineer; Dispatcher
    | Field Service North; Field Service South; Dispatch; Installations
Facilities | 0.5 | Facilities Coordinator; Workplace Specialist | Workplace Services;
    Real Estate; Health and Safety
Business Operations | 0.4 | Business Operations Analyst; Process Analyst | Operations Planning;
    Performance Management; Process Excellence
Procurement | 0.4 | Procurement Specialist; Buyer; Category Manager | Direct Procurement;
    Indirect Procurement; Vendor Management
Quality | 0.4 | Quality Analyst; Quality Auditor | Quality Assurance; Regulatory Compliance;
    Continuous Improvement
Program Management Office | 0.2 | Program Manager; Project Manager | Transformation Programs;
    Portfolio Management
"""),
    ),
    FunctionSpec(
        name="Marketing",
        head_title="Chief Marketing Officer",
        weight=0.07,
        core=True,
        ladder=DEFAULT_LADDER,
        vp_title="VP Marketing, {unit}",
        lead_title="Team Lead, {unit}",
        units=_units("""
Brand | 1.0 | Brand Manager; Graphic Designer; Copywriter | Brand Strategy; Creative Studio;
    Design; Copywriting
Digital Marketing | 1.0 | Digital Marketing Specialist; SEO Specialist;
    Performance Marketing Manager | SEO; Paid Search; Email Marketing; Marketing Automation
Social Media | 0.8 | Social Media Manager; Community Manager; Content Creator | Paid Social;
    Organic Social; Influencer Marketing; Social Listening
Product Marketing | 0.7 | Product Marketing Manager | Positioning; Launches;
    Competitive Intelligence; Customer Marketing
Content | 0.6 | Content Strategist; Content Writer; Video Producer | Editorial; Video; Webinars;
    Localisation
Growth Marketing | 0.5 | Growth Marketing Manager; Lifecycle Marketing Specialist | Acquisition;
    Lifecycle; Referrals
Communications | 0.4 | Communications Manager; PR Specialist | Public Relations;
    Internal Communications; Analyst Relations
Events | 0.4 | Event Manager; Event Coordinator | Conferences; Field Events; Sponsorships
Marketing Operations | 0.3 | Marketing Operations Analyst; Marketing Analyst
    | Marketing Analytics; Martech; Campaign Operations
"""),
    ),
    FunctionSpec(
        name="Product",
        head_title="Chief Product Officer",
        weight=0.05,
        core=True,
        ladder=DEFAULT_LADDER,
        vp_title="VP Product, {unit}",
        lead_title="Group Product Manager, {unit}",
        units=_units("""
Core Product | 1.0 | Product Manager; Product Owner | Core Experience; Platform Product;
    Mobile Product
Product Design | 0.9 | Product Designer; UX Designer; UX Writer | Design Systems;
    Interaction Design; Visual Design
Growth Product | 0.5 | Product Manager; Product Analyst | Activation; Monetisation; Retention
Enterprise Product | 0.5 | Product Manager | Admin and Security; Integrations;
    Compliance Features
User Research | 0.4 | UX Researcher | Qualitative Research; Quantitative Research;
    Research Operations
Product Analytics | 0.4 | Product Analyst; Data Analyst | Experimentation; Insights;
    Product Metrics
Product Operations | 0.3 | Product Operations Manager | Release Planning; Product Tooling
"""),
    ),
    FunctionSpec(
        name="Finance",
        head_title="Chief Financial Officer",
        weight=0.04,
        core=True,
        ladder=DEFAULT_LADDER,
        vp_title="VP Finance, {unit}",
        lead_title="Finance Manager, {unit}",
        units=_units("""
Accounting | 1.0 | Accountant; Staff Accountant; Accounts Payable Specialist | General Ledger;
    Accounts Payable; Accounts Receivable; Payroll; Close and Consolidation
FP&A | 0.7 | Financial Analyst; Finance Business Partner | Business Planning; Business Finance;
    Forecasting
Revenue Operations | 0.3 | Billing Specialist; Revenue Accountant; Collections Specialist
    | Billing; Collections; Revenue Recognition
Tax | 0.25 | Tax Specialist; Tax Analyst | Direct Tax; Indirect Tax; Transfer Pricing
Treasury | 0.2 | Treasury Analyst | Cash Management; Financial Risk
Internal Audit | 0.2 | Internal Auditor | Financial Audit; IT Audit
Investor Relations | 0.1 | Investor Relations Manager |
"""),
    ),
    FunctionSpec(
        name="People",
        head_title="Chief People Officer",
        weight=0.035,
        core=True,
        ladder=DEFAULT_LADDER,
        vp_title="VP People, {unit}",
        lead_title="Team Lead, {unit}",
        units=_units("""
Talent Acquisition | 1.0 | Recruiter; Sourcer; Recruiting Coordinator | Technical Recruiting;
    Business Recruiting; Campus Recruiting; Recruiting Operations
People Partners | 0.7 | HR Business Partner; Employee Relations Specialist | Field Partners;
    Corporate Partners; Employee Relations
People Operations | 0.6 | People Operations Specialist; HR Coordinator | HR Services;
    HR Systems; Global Mobility
Learning and Development | 0.4 | Learning Specialist; Instructional Designer
    | Leadership Development; Onboarding Programs; Learning Platforms
Total Rewards | 0.35 | Compensation Analyst; Benefits Specialist | Compensation; Benefits;
    Recognition
People Analytics | 0.2 | People Analyst |
Diversity and Inclusion | 0.15 | Diversity and Inclusion Specialist |
"""),
    ),
    FunctionSpec(
        name="Information Technology",
        head_title="Chief Information Officer",
        weight=0.04,
        core=False,
        ladder=DEFAULT_LADDER,
        vp_title="VP IT, {unit}",
        lead_title="IT Manager, {unit}",
        units=_units("""
IT Service Desk | 1.0 | IT Support Specialist; Service Desk Analyst | Service Desk; Field IT;
    Onboarding IT
Enterprise Applications | 0.8 | Business Systems Analyst; Applications Administrator | ERP; CRM;
    HR Systems; Collaboration Tools
IT Infrastructure | 0.7 | Systems Administrator; Network Engineer | Network; End-User Computing;
    Identity Management
IT Security | 0.5 | Security Analyst; Security Engineer | Security Operations Centre;
    IT Risk and Compliance
IT Governance | 0.2 | IT Governance Analyst; IT Asset Manager | Asset Management; Licensing
"""),
    ),
    FunctionSpec(
        name="Data and Analytics",
        head_title="Chief Data Officer",
        weight=0.03,
        core=False,
        ladder=ENGINEERING_LADDER,
        vp_title="VP Data, {unit}",
        lead_title="Analytics Manager, {unit}",
        units=_units("""
Business Intelligence | 1.0 | BI Analyst; Data Analyst | Reporting; Dashboards;
    Self-Service Analytics
Data Science | 0.8 | Data Scientist | Demand Forecasting; Customer Analytics; Pricing
Analytics Engineering | 0.6 | Analytics Engineer | Data Modelling; Metrics Layer
Research and Insights | 0.3 | Insights Analyst; Market Research Analyst | Market Research;
    Customer Insights
Data Governance | 0.3 | Data Steward; Data Governance Analyst | Data Quality; Master Data;
    Data Catalogue
"""),
    ),
    FunctionSpec(
        name="Legal",
        head_title="General Counsel",
        weight=0.015,
        core=False,
        ladder=DEFAULT_LADDER,
        vp_title="Deputy General Counsel, {unit}",
        lead_title="Legal Manager, {unit}",
        units=_units("""
Commercial Legal | 1.0 | Legal Counsel; Paralegal; Contract Manager | Contracts; Sales Legal
Compliance | 0.6 | Compliance Analyst; Compliance Officer | Regulatory Affairs; Ethics;
    Trade Compliance
Corporate Legal | 0.5 | Corporate Counsel; Paralegal | Governance; Mergers and Acquisitions
Privacy | 0.4 | Privacy Counsel; Data Protection Specialist | Data Protection; Privacy Programs
Intellectual Property | 0.3 | IP Counsel; Patent Specialist | Patents; Trademarks
Employment Law | 0.2 | Employment Counsel |
"""),
    ),
    FunctionSpec(
        name="Strategy",
        head_title="Chief Strategy Officer",
        weight=0.012,
        core=False,
        ladder=DEFAULT_LADDER,
        vp_title="VP Strategy, {unit}",
        lead_title="Strategy Manager, {unit}",
        units=_units("""
Corporate Strategy | 1.0 | Strategy Manager; Strategy Analyst | Strategic Planning;
    Portfolio Strategy
Transformation Office | 0.6 | Transformation Manager; Program Manager | Execution Office;
    Change Management
Business Development | 0.5 | Business Development Manager | New Markets; Strategic Partnerships
Corporate Development | 0.5 | Corporate Development Associate | Mergers and Acquisitions;
    Ventures
Market Intelligence | 0.4 | Market Analyst | Competitive Analysis; Market Research
"""),
    ),
)

CORE_FUNCTIONS: tuple[FunctionSpec, ...] = tuple(f for f in FUNCTIONS if f.core)
OPTIONAL_FUNCTIONS: tuple[FunctionSpec, ...] = tuple(f for f in FUNCTIONS if not f.core)

EXECUTIVE_OFFICE = "Executive Office"
CEO_TITLE = "Chief Executive Officer"

# Company names are "<stem> <suffix>"; the stem alone becomes the e-mail domain.
COMPANY_STEMS: tuple[str, ...] = (
    "Northwind", "Bluefin", "Brightwater", "Halcyon", "Kestrel", "Ironbark", "Silverline",
    "Redwood", "Lumen", "Meridian", "Crescent", "Harbor", "Copperleaf", "Granite", "Willow",
    "Altair", "Beacon", "Cobalt", "Evergreen", "Fjord", "Helix", "Juniper", "Larkspur",
    "Mosaic", "Nimbus", "Orchard", "Pinnacle", "Quarry", "Riverstone", "Summit", "Tidewater",
    "Vantage", "Westwind", "Yarrow", "Zephyr", "Aurora", "Basalt", "Cedar", "Driftwood",
    "Emberly", "Foxglove", "Gullwing", "Hawthorn", "Ashgrove", "Stonebridge", "Oakridge",
)  # fmt: skip
COMPANY_SUFFIXES: tuple[str, ...] = (
    "Group", "Holdings", "Systems", "Industries", "Technologies", "Labs", "Partners",
    "Logistics", "Health", "Retail", "Energy", "Networks",
)  # fmt: skip
