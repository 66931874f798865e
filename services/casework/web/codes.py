"""What each national attendance code means (School Attendance (Pupil Registration) (England) Regulations
2024, reg 10; paraphrased from shared/domain/rules.md section 4), for the pupil page's marks table."""

from __future__ import annotations

CODE_MEANINGS = {
    "/": "Present in the morning registration",
    "\\": "Present in the afternoon registration",
    "L": "Late, arrived before the register closed",
    "K": "Attending education provision arranged by the local authority",
    "V": "Educational visit or trip organised by the school",
    "P": "Approved sporting activity",
    "W": "Work experience",
    "B": "Other approved educational activity",
    "D": "Dual registered, attending the other school",
    "C1": "Leave for a regulated performance or regulated employment abroad",
    "M": "Medical or dental appointment",
    "J1": "Interview for employment or another educational institution",
    "S": "Study leave for public examinations",
    "X": "Not of compulsory school age and not required to be in school",
    "C2": "Agreed temporary part-time timetable",
    "C": "Leave in exceptional circumstances",
    "T": "Parent travelling for occupational purposes",
    "R": "Religious observance",
    "I": "Illness",
    "E": "Suspended or permanently excluded, no alternative provision made",
    "Q": "Unable to attend: lack of access arrangements",
    "Y1": "Unable to attend: transport normally provided not available",
    "Y2": "Unable to attend: widespread disruption to travel",
    "Y3": "Unable to attend: part of the school premises closed",
    "Y4": "Unable to attend: whole school site unexpectedly closed",
    "Y5": "Unable to attend: in criminal justice detention",
    "Y6": "Unable to attend: public health guidance or law",
    "Y7": "Unable to attend: any other unavoidable cause",
    "G": "Holiday not granted by the school",
    "N": "Reason for absence not yet established",
    "O": "Absent in other or unknown circumstances",
    "U": "Arrived after the register closed",
    "Z": "Prospective pupil not yet on the admission register",
    "#": "Planned whole-school closure",
}


def code_meaning(code: str) -> str:
    return CODE_MEANINGS.get(code, "Code not recognised")
