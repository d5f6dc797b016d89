//! University admissions: applicants discover, apply to and join a university.
//!
//! A personalized itinerary: school leavers, international applicants and adult
//! returners each follow their own path, selected by a condition; cards specific to
//! one segment sit on that segment's path. Typical friction: a complex application
//! and a huge course catalogue.

use super::seed::{act, back, feel, kpi, opp, pain, thought, touch, Blueprint, PersonaSeed};
use super::seed::{PathSeed, StageSeed};
use crate::schema::Channel::{App, Chat, Email, Other, Partner, Phone, Social, Web};
use crate::schema::OpportunityStatus::{Idea, InProgress, Planned};

/// Path of school leavers (index in [`MAP`]'s paths).
const SCHOOL: usize = 0;
/// Path of international applicants.
const ABROAD: usize = 1;
/// Path of adult and part-time applicants.
const ADULT: usize = 2;

/// The university admissions map.
pub(super) const MAP: Blueprint = Blueprint {
    objective: "Guide every applicant segment through a complex application without \
                losing them, and raise the share of admitted students who enrol.",
    personas: &[
        PersonaSeed {
            name: "Sam, school leaver",
            segment: "Final-year secondary student applying from within the country",
            goals: "Pick a programme that matches his interests and secure a place \
                    before the deadline.",
            pains: "Too many programmes to compare; a long application with unclear steps.",
            preferences: "Social media, short videos, talking to current students, \
                          reminders by email.",
            as_is: &[1, 0, -2, -1, 1],
            to_be: &[1, 1, 0, 1, 2],
        },
        PersonaSeed {
            name: "Mei, international applicant",
            segment: "Student applying from abroad who needs a visa and diploma recognition",
            goals: "Get an offer early enough to arrange a visa, housing and funding.",
            pains: "Time zones, certified translations, and silence while her file is \
                    reviewed.",
            preferences: "Virtual open days and tours, detailed email updates, live chat \
                          at hours that suit her time zone.",
            as_is: &[0, 0, -2, -2, 0],
            to_be: &[1, 1, 0, 1, 1],
        },
        PersonaSeed {
            name: "Daniel, adult returner",
            segment: "Working adult going back to study part-time",
            goals: "Find an evening or part-time programme and get credit for his work \
                    experience.",
            pains: "Admissions designed for school leavers; unclear fees and financial aid.",
            preferences: "Phone or video advice outside office hours, a clear breakdown of \
                          costs, one contact person.",
            as_is: &[0, -1, -1, -1, 0],
            to_be: &[1, 1, 1, 1, 1],
        },
    ],
    paths: &[
        PathSeed {
            name: "Direct entry from school",
            condition: "Applicant is in the final year of secondary school in the country",
            persona: 0,
        },
        PathSeed {
            name: "International admission",
            condition: "Applicant holds a foreign qualification or needs a student visa",
            persona: 1,
        },
        PathSeed {
            name: "Adult and part-time entry",
            condition: "Applicant is 25 or older, or applies for part-time or evening study",
            persona: 2,
        },
    ],
    stages: &[
        StageSeed {
            name: "Discovery",
            cards: &[
                act("Hears about the university at a fair or from alumni"),
                act("Finds programme pages through a search engine"),
                touch(Web, "Programme pages reached from a search engine"),
                touch(Social, "Targeted social media ads").on(SCHOOL),
                touch(Partner, "Education fairs abroad and partner agents").on(ABROAD),
                touch(Other, "Word of mouth from alumni and employers").on(ADULT),
                thought("Is this place right for someone like me?"),
                feel("Hopeful"),
                pain("Programme pages speak only to school leavers").on(ADULT),
                opp(
                    "Admissions marketing",
                    Planned,
                    "Landing pages for each applicant segment, with matching student stories",
                ),
                kpi(
                    "Prospect enquiries per intake",
                    "enquiries",
                    [4200.0, 4600.0, 6000.0],
                ),
                back("Recruitment events calendar and alumni ambassador programme"),
            ],
        },
        StageSeed {
            name: "Exploring programmes",
            cards: &[
                act("Downloads brochures and compares programmes"),
                act("Attends a webinar or a virtual open day"),
                touch(Web, "Virtual open day and downloadable brochures"),
                touch(Social, "Questions to current students on social media").on(SCHOOL),
                touch(Chat, "Live question sessions scheduled across time zones").on(ABROAD),
                touch(Phone, "Evening advice call about part-time options").on(ADULT),
                thought("So many courses: which one leads where I want to go?"),
                feel("Overwhelmed by choice"),
                pain("The course catalogue is huge and hard to filter"),
                opp(
                    "Digital team",
                    InProgress,
                    "Virtual campus tours and a programme finder by interest",
                ),
                kpi(
                    "Open day attendees who start an application",
                    "%",
                    [22.0, 25.0, 35.0],
                ),
                back("Faculty staff run webinars; the content team updates programme pages"),
            ],
        },
        StageSeed {
            name: "Application",
            cards: &[
                act("Fills in the online application and uploads documents"),
                act("Pays the application fee"),
                touch(Web, "Online application portal"),
                touch(
                    Email,
                    "Timely updates on application status and financial aid",
                ),
                touch(Web, "Upload of certified translations and language scores").on(ABROAD),
                touch(Web, "Form to claim credit for prior work experience").on(ADULT),
                thought("Did I upload the right documents?"),
                feel("Anxious and lost among the steps"),
                pain("A long form with unclear requirements; many applications stall"),
                pain("Foreign diplomas wait weeks for recognition").on(ABROAD),
                opp(
                    "Admissions office",
                    InProgress,
                    "Chatbot giving real-time help at each step of the form",
                ),
                opp(
                    "Admissions office",
                    Planned,
                    "Personal reminder emails for applications left half-done",
                ),
                kpi(
                    "Started applications that get submitted",
                    "%",
                    [58.0, 63.0, 80.0],
                ),
                back("Document checks, fee processing and diploma recognition"),
            ],
        },
        StageSeed {
            name: "Admission decision",
            cards: &[
                act("Waits for the decision and checks the portal"),
                act("Accepts the offer and applies for financial aid"),
                touch(Email, "Offer letter with funding options"),
                touch(Email, "Visa support letter and housing guidance").on(ABROAD),
                touch(Phone, "Call from an adviser about fees and aid").on(ADULT),
                thought("When will I hear back, and can I afford it?"),
                feel("Nervous while waiting, elated at the offer"),
                pain("Weeks of silence between submission and decision"),
                opp(
                    "Admissions office",
                    Idea,
                    "Status tracker showing where each file stands",
                ),
                kpi(
                    "Median days from submission to decision",
                    "days",
                    [42.0, 35.0, 21.0],
                ),
                kpi("Admitted applicants who enrol", "%", [48.0, 50.0, 60.0]),
                back("Admissions committee review; scholarship and aid allocation"),
            ],
        },
        StageSeed {
            name: "Orientation and first term",
            cards: &[
                act("Joins the interactive orientation programme"),
                act("Registers for courses on the student portal"),
                touch(App, "Student portal for course registration and resources"),
                touch(Other, "Welcome week on campus with peer mentors"),
                touch(Web, "Online orientation for students arriving late").on(ABROAD),
                touch(Other, "Evening orientation for part-time students").on(ADULT),
                thought("Where do I find help when I am stuck?"),
                feel("Excited, with some first-week nerves"),
                pain("Course registration opens before advisers can be reached"),
                opp(
                    "Student services",
                    Planned,
                    "Assign an adviser and a peer mentor before registration opens",
                ),
                kpi("First-term retention", "%", [88.0, 89.0, 94.0]),
                back("Timetabling, IT accounts and academic advising"),
            ],
        },
    ],
    switches: &[],
};
