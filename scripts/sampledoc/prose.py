"""Deterministic filler narrative for sample reports.

Real reports are mostly narrative: chronology, agency contact, analysis. The samples need
pages of it so that the recommendations are a small part of a long document, as in real
life. Every sentence template below was written for this project. A ``random.Random``
seeded from the spec makes the output reproducible.
"""

from __future__ import annotations

import random

MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
]

TEMPLATES: dict[str, list[str]] = {
    "intro": [
        "This review was commissioned by the {csp} after the death of {V} was notified to the partnership by the police in {M} {Y}.",
        "The panel met on {N} occasions and considered chronologies and individual management reviews from every agency that had contact with {V} or {P}.",
        "The review has been conducted in line with the statutory guidance issued under section 9 of the Domestic Violence, Crime and Victims Act 2004.",
        "Pseudonyms have been used throughout this report to protect the identity of the family, who chose the name {V}.",
        "The chair of the review is independent of every agency represented on the panel and has had no involvement in the delivery of local services.",
        "Terms of reference were agreed at the first panel meeting and were revisited when new information emerged from the criminal trial.",
        "The scope of the review covers the period from {M} {Y0} until the date of the homicide, although earlier events have been considered where they help to explain later decisions.",
        "Members of the panel were asked to secure their records at an early stage and to identify any immediate learning for their own organisation.",
        "The family were offered the support of an advocate from a specialist after-death service and were invited to contribute at each stage of the review.",
        "Publication was delayed while the criminal proceedings concluded, which is a common reason for reviews taking longer than the guidance suggests.",
        "The panel would like to express its sincere condolences to the family and friends of {V}.",
        "Agencies were asked whether they held any information about the diversity characteristics of either person, and how those characteristics may have affected access to services.",
    ],
    "background": [
        "{V} was described by her family as warm, sociable and fiercely protective of her children.",
        "{V} and {P} met in {Y0} through mutual friends and began living together within a few months.",
        "Friends told the review that {P} became increasingly controlling about where {V} went and who she spoke to.",
        "{V} worked part-time in a local shop and was well known to her neighbours, several of whom spoke to the chair.",
        "{P} had a history of short-term employment and periods of heavy drinking that his family said had worsened after the death of his father.",
        "The couple moved address {N} times during the period under review, on each occasion registering with a new GP practice.",
        "{V}'s sister recalled that {V} sometimes cancelled family visits at short notice and offered explanations that did not quite fit.",
        "There is no record that {V} disclosed abuse to any professional before {M} {Y}.",
        "{P} had previous convictions for offences of violence against a former partner, which were not known to all of the agencies involved.",
        "Both {V} and {P} had contact with universal services, but neither was known to specialist domestic abuse services before the homicide.",
    ],
    "chronology": [
        "On {D} {M} {Y} the police were called to the home address after a neighbour reported shouting and the sound of breaking glass.",
        "Officers attending completed a DASH risk assessment which was graded as standard risk, and no referral was made to MARAC.",
        "In {M} {Y} {V} attended the emergency department with a wrist injury which she said she had sustained in a fall at home.",
        "The GP practice recorded a consultation in {M} {Y} in which {V} described low mood and poor sleep; she was prescribed medication and asked to return in four weeks.",
        "{P} was released from custody on {D} {M} {Y} and was supervised by the Probation Service on licence.",
        "A referral from the police to children's social care was screened on {D} {M} {Y} and closed with advice because the children were not present during the incident.",
        "The housing provider received a complaint about noise from the property in {M} {Y} and wrote to the tenant, but did not consider whether the noise might indicate abuse.",
        "On {D} {M} {Y} {V} called the national helpline and was given the number of the local outreach service, which she did not contact.",
        "{P} failed to attend two appointments with the drug and alcohol service in {M} {Y} and was discharged in line with the service's non-attendance policy.",
        "The IDVA service attempted to contact {V} three times by telephone after a referral in {M} {Y}, but the calls went unanswered and the case was closed.",
        "The ambulance service attended the address on {D} {M} {Y}; the crew noted that {P} answered questions on {V}'s behalf.",
        "A safeguarding concern was raised by the hospital in {M} {Y} but did not reach the local authority because it was sent to an unmonitored inbox.",
        "In {M} {Y} {P} was arrested for a breach of a non-molestation order and was released under investigation the following day.",
        "On {D} {M} {Y} {V} told her health visitor that things at home were 'difficult', and the health visitor arranged a follow-up visit which did not take place.",
    ],
    "analysis": [
        "The panel considered whether the risk to {V} was properly understood by the agencies that had contact with her.",
        "It is clear with hindsight that each incident, taken alone, did not appear to meet the threshold for a multi-agency response.",
        "Practitioners did not routinely ask {V} about abuse when she attended with injuries, even though the pattern of attendance was unusual.",
        "Information held by one agency was not shared with others, so no single agency had a complete picture of the risk posed by {P}.",
        "The risk assessment completed in {M} {Y} relied heavily on the answers given by {V} in the presence of {P}, which limits its value.",
        "The panel heard that staff were unsure whether they could share information without consent, and this uncertainty delayed action.",
        "There was no evidence of professional curiosity about why {V} repeatedly cancelled appointments.",
        "Agencies focused on the presenting issue, such as housing arrears or alcohol use, rather than on the relationship in which it arose.",
        "The review found examples of good practice, including the persistence of the school nurse in following up a concern about one of the children.",
        "Supervision records show that the case was discussed, but the discussion did not lead to a change in the plan.",
        "The panel accepts the view of the IMR author that high caseloads contributed to the lack of follow-up in {M} {Y}.",
        "Cultural and language barriers may have made it harder for {V} to seek help, and interpreters were not consistently offered.",
        "The coercive and controlling behaviour described by friends was not visible to professionals because it was rarely asked about.",
        "The panel considered whether the homicide could have been predicted or prevented, and concluded that opportunities to reduce risk were missed.",
    ],
    "family": [
        "The chair met {V}'s mother and sister on two occasions and spoke to a close friend by telephone.",
        "The family described {V} as someone who did not want to be a burden and who tried to manage on her own.",
        "{V}'s mother said she had noticed bruising on one occasion but had accepted {V}'s explanation.",
        "The family asked the review to consider why the police did not take action after the incident in {M} {Y}.",
        "A draft of this report was shared with the family, whose comments have been reflected in the final version.",
        "{P} was invited to contribute to the review through the prison but declined to take part.",
        "Friends told the chair that {V} had talked about leaving but feared what {P} would do if she did.",
        "The family wished the review to record how much {V} loved her children and how proud she was of them.",
    ],
    "conclusions": [
        "The panel has concluded that the death of {V} could not have been predicted from the information available to any single agency.",
        "Had the information been brought together, however, the level of risk would have been understood to be higher than was recorded.",
        "The review has identified learning for several agencies, much of which has already been acted upon during the course of the review.",
        "Agencies have shown a commitment to learning and have been open with the panel about the limits of their practice.",
        "The panel is confident that the changes described in the individual management reviews will improve the response to victims locally.",
        "The lessons of this review are not new, and the panel notes that similar themes have arisen in earlier reviews in the area.",
    ],
    "recs_intro": [
        "The panel discussed each draft recommendation with the agency concerned before it was agreed.",
        "Where an agency had already changed its practice during the review, the panel has not repeated that change here.",
        "The recommendations are intended to be specific, measurable and achievable within the time allowed.",
        "Each agency will record the actions it takes in the partnership's action plan, with a named lead and a target date.",
        "The partnership board will receive a report on progress at each of its meetings until every action is complete.",
        "Some of the learning applies beyond the agencies named, and the partnership will share the report widely.",
        "The family were told about the recommendations before publication and were invited to comment on them.",
        "The panel has kept the number of recommendations small so that they can be implemented in full.",
        "Several recommendations echo learning from earlier reviews in the area, which the panel regards as significant.",
        "The chair wrote to each agency's senior manager to confirm that the recommendations had been accepted.",
        "National learning will be drawn to the attention of the Home Office when this report is submitted.",
        "The panel would like to thank the agencies for the openness with which they approached this review.",
    ],
}

FINDINGS = [
    "Agencies did not routinely share information about incidents that fell below the threshold for a multi-agency referral.",
    "Professional curiosity was lacking when injuries were presented with explanations that did not fit.",
    "Risk assessments were completed in the presence of the alleged perpetrator.",
    "Non-attendance at appointments was treated as disengagement rather than as a possible indicator of control.",
    "Staff were uncertain about the legal basis for sharing information without consent.",
    "The history of violence towards a previous partner was not known to the agencies assessing current risk.",
    "Interpreters were not offered consistently, which limited what the victim could disclose.",
    "Safeguarding referrals were sent to addresses that were not monitored.",
    "Supervision did not challenge decisions to close cases after unsuccessful contact attempts.",
    "Good practice was seen where staff persisted in following up concerns across several weeks.",
    "Housing complaints about noise were not considered as possible indicators of abuse.",
    "The children's experience of the household was not explored in any assessment.",
]

ACTIONS = [
    "Review the policy and circulate a revised version to all staff",
    "Deliver briefing sessions to front-line teams",
    "Audit a sample of cases to test compliance",
    "Report progress to the partnership board",
    "Add the learning to the induction programme",
    "Agree a protocol with partner agencies",
]

MILESTONES = [
    "Policy revised and approved",
    "Briefings delivered to all teams",
    "Audit completed and findings reported",
    "Protocol signed by partners",
    "Training evaluated",
]


class Prose:
    """A seeded source of filler sentences for one report."""

    def __init__(self, seed: int, victim: str, perpetrator: str, csp: str, year: int) -> None:
        self.rng = random.Random(seed)
        self.victim = victim
        self.perpetrator = perpetrator
        self.csp = csp
        self.year = year

    def _fill(self, template: str) -> str:
        rng = self.rng
        return template.format(
            V=self.victim,
            P=self.perpetrator,
            csp=self.csp,
            M=rng.choice(MONTHS),
            Y=self.year - rng.randint(0, 2),
            Y0=self.year - rng.randint(3, 6),
            D=rng.randint(1, 28),
            N=rng.randint(4, 9),
        )

    def paragraph(self, topic: str, sentences: tuple[int, int] = (3, 6)) -> str:
        """One paragraph of 3-6 sentences on a topic, without repeating a sentence."""
        pool = TEMPLATES.get(topic, TEMPLATES["analysis"])
        count = min(len(pool), self.rng.randint(*sentences))
        return " ".join(self._fill(t) for t in self.rng.sample(pool, count))

    def sentences(self, topic: str, count: int) -> str:
        """Exactly ``count`` sentences on a topic (the pool is reused if needed)."""
        pool = TEMPLATES[topic]
        extra = [pool[(i + self.rng.randint(0, len(pool) - 1)) % len(pool)] for i in range(len(pool), count)]
        first = self.rng.sample(pool, min(count, len(pool)))
        return " ".join(self._fill(t) for t in first + extra)

    def finding(self, index: int) -> str:
        """A key finding or lesson (never phrased as a recommendation)."""
        return FINDINGS[(index + self.rng.randint(0, len(FINDINGS) - 1)) % len(FINDINGS)]

    def action(self) -> str:
        return self.rng.choice(ACTIONS)

    def milestone(self) -> str:
        return self.rng.choice(MILESTONES)

    def target_date(self) -> str:
        return f"{self.rng.choice(MONTHS)} {self.year + self.rng.randint(2, 4)}"
