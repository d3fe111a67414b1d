#!/usr/bin/env python3
"""Writes a deterministic synthetic cohort as a FHIR Bulk Data export (NDJSON) with planted positives.

    tools/synth_cohort.py --out DIR --patients N [--positive-rate 0.05] [--seed 1]
                          [--at 2026-11-20T14:00:00Z] [--files-per-type 2] [--key FILE]

DIR receives:
  manifest.json               Bulk Data manifest (transactionTime = --at, relative urls, counts)
  <Type>.<NNN>.ndjson         one resource type per file, each type split over --files-per-type files; the
                              resources of one patient and one type are spread over several files
  expected.json.lines         the answer key (or --key FILE): one JSON object per patient. Its name does not
                              end in .ndjson, so `nmscds screen DIR` never reads it as a resource file.

The answer key states, per interfaces.md §10 and clinical.md, what the engine must answer for each patient
at T0 = --at: suspicion (§5 S-1..S-5), dantrolene decision (§6.2 DEC-1..DEC-6), FN status and presumed FN
(DF-23..DF-25, computed here from the readings actually written), and the §10 flag rule. doc/synth_cohort.md
describes the scenarios.

Deterministic: the same arguments give byte-identical files (one seeded random.Random consumed in patient
order, so patient i does not depend on N; no clock; dict insertion order fixed). Memory is constant in N:
each patient is built, written and dropped; all output files stay open. Standard library only.
"""

import argparse
import datetime
import json
import os
import random
import sys
import time
from decimal import ROUND_HALF_UP, Decimal

UCUM = "http://unitsofmeasure.org"
LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
ICD10 = "http://hl7.org/fhir/sid/icd-10-cm"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
OBS_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
NMSCDS_FINDING = "urn:nmscds:cs:finding"
NMSCDS_CONTEXT = "urn:nmscds:cs:context"
NMSCDS_VALUE = "urn:nmscds:cs:value"
NMSCDS_TAG = "urn:nmscds:cs:tag"

RESOURCE_TYPES = ("Condition", "MedicationAdministration", "MedicationRequest", "Observation", "Patient")
KEY_NAME = "expected.json.lines"
HOUR = 60  # minutes
DAY = 24 * HOUR

# Drugs by RxNorm ingredient code. The first group is in kb/drugs.json; the second is deliberately not (the
# engine counts those as not_in_knowledge_base), so that ordinary patients carry ordinary medication lists.
RX = {
    "haloperidol": "5093", "olanzapine": "61381", "risperidone": "35636", "quetiapine": "51272",
    "aripiprazole": "89013", "clozapine": "2626", "metoclopramide": "6915", "prochlorperazine": "8704",
    "ondansetron": "26225", "lorazepam": "6470", "cefepime": "20481", "piperacillin": "8339",
    "meropenem": "29561", "levofloxacin": "82122", "sevoflurane": "36453", "succinylcholine": "10154",
    "atorvastatin": "83367", "lisinopril": "29046", "metformin": "6809", "acetaminophen": "161",
    "ceftriaxone": "2193", "acyclovir": "281", "allopurinol": "519", "pantoprazole": "40790",
    "enoxaparin": "67108", "azithromycin": "18631", "cefazolin": "2180", "propofol": "8782",
}
ROUTES = {"oral": ("26643006", "Oral route"), "iv": ("47625008", "Intravenous route"),
          "im": ("78421000", "Intramuscular route"), "inhaled": ("447694001", "Respiratory tract route")}

PSYCH_CONDITIONS = [("F20.9", "Schizophrenia, unspecified"), ("F25.9", "Schizoaffective disorder, unspecified"),
                    ("F31.2", "Bipolar disorder, current episode manic severe with psychotic features"),
                    ("F29", "Unspecified psychosis not due to a substance or known physiological condition")]
SOLID_TUMOURS = [("C50.911", "Malignant neoplasm of unspecified site of right female breast", ["docetaxel", "cyclophosphamide"]),
                 ("C34.90", "Malignant neoplasm of unspecified part of unspecified bronchus or lung", ["carboplatin", "paclitaxel"]),
                 ("C18.9", "Malignant neoplasm of colon, unspecified", ["oxaliplatin", "fluorouracil"]),
                 ("C32.9", "Malignant neoplasm of larynx, unspecified", ["cisplatin", "fluorouracil"])]
HEME_MALIGNANCIES = [("C92.00", "Acute myeloblastic leukemia, not having achieved remission", ["cytarabine", "daunorubicin"]),
                     ("C83.30", "Diffuse large B-cell lymphoma, unspecified site", ["cyclophosphamide", "doxorubicin"]),
                     ("C92.00", "Acute myeloblastic leukemia, not having achieved remission", ["cytarabine", "idarubicin"])]
INFECTIONS = [("J18.9", "Pneumonia, unspecified organism"), ("N39.0", "Urinary tract infection, site not specified"),
              ("J11.1", "Influenza due to unidentified influenza virus with other respiratory manifestations"),
              ("L03.115", "Cellulitis of right lower limb")]
CHRONIC = [("I10", "Essential (primary) hypertension"), ("E78.5", "Hyperlipidemia, unspecified"),
           ("J45.909", "Unspecified asthma, uncomplicated"), ("E11.9", "Type 2 diabetes mellitus without complications")]
MENTAL_STATUS_SNOMED = {"confused": ("286933003", "Confusional state"), "delirious": ("2776000", "Delirium"),
                        "stupor": ("89458003", "Stupor"), "normal": ("248234008", "Mentally alert")}
RIGIDITY_SNOMED = {"mild": ("255604002", "Mild"), "moderate": ("6736007", "Moderate"),
                   "severe": ("24484000", "Severe"), "none": ("2667000", "Absent")}


def q(value, code):
    return {"value": value, "unit": code, "system": UCUM, "code": code}


def coding(system, code, display=None):
    c = {"system": system, "code": code}
    if display:
        c["display"] = display
    return c


def c_from_f(value_f):
    """°F to canonical °C at 0.01 °C, half away from zero, as the engine compares it (clinical §0.3)."""
    c = (Decimal(repr(value_f)) - 32) * 5 / 9
    return c.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


class PatientBuilder:
    """Collects one patient's resources and the facts the answer key is computed from."""

    def __init__(self, pid, t0_epoch, rng):
        self.pid = pid
        self.t0_epoch = t0_epoch
        self.rng = rng
        self.subject = {"reference": "Patient/" + pid}
        self.resources = []      # (type, resource) in creation order
        self.serial = 0
        self.temps = []          # (minutes before T0, °C as Decimal) of episode (non-baseline) readings
        self.ancs = []           # (minutes before T0, 10*9/L as Decimal)
        self.has_conditions = False
        self.malignancy = None   # None, "solid" or "hematologic" (interfaces §4.7)
        self.last_chemo_min = None
        self.anc_expected_to_fall = None

    # --- time and ids -------------------------------------------------------------------------
    def at(self, minutes_before):
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.t0_epoch - 60 * minutes_before))

    def new_id(self, prefix):
        self.serial += 1
        return "%s-%s%d" % (self.pid, prefix, self.serial)

    def add(self, rtype, resource):
        self.resources.append((rtype, resource))
        return resource

    # --- Patient ------------------------------------------------------------------------------
    def patient(self, age, gender):
        t0_year = time.gmtime(self.t0_epoch).tm_year
        birth = "%04d-%02d-%02d" % (t0_year - age - 1, self.rng.randint(1, 12), self.rng.randint(1, 28))
        self.add("Patient", {"resourceType": "Patient", "id": self.pid, "gender": gender, "birthDate": birth})

    # --- Observations -------------------------------------------------------------------------
    def observation(self, prefix, category, code, minutes, value_key, value, baseline=False):
        r = {"resourceType": "Observation", "id": self.new_id(prefix)}
        if baseline:
            r["meta"] = {"tag": [coding(NMSCDS_TAG, "baseline", "Pre-episode baseline")]}
        r["status"] = "final"
        r["category"] = [{"coding": [coding(OBS_CATEGORY, category)]}]
        r["code"] = {"coding": [code]}
        r["subject"] = self.subject
        r["effectiveDateTime"] = self.at(minutes)
        if value_key is not None:
            r[value_key] = value
        return self.add("Observation", r)

    def temperature(self, minutes, celsius, fahrenheit=False, baseline=False):
        """One body temperature; written in °C or °F, oral (8331-1) or 8310-5 with or without an oral site."""
        if fahrenheit:
            value_f = round(celsius * 9 / 5 + 32, 1)
            value, canonical = q(value_f, "[degF]"), c_from_f(value_f)
        else:
            value, canonical = q(celsius, "Cel"), Decimal(repr(celsius)).quantize(Decimal("0.01"))
        if self.rng.random() < 0.5:
            r = self.observation("t", "vital-signs", coding(LOINC, "8331-1", "Oral temperature"), minutes,
                                 "valueQuantity", value, baseline)
        else:
            r = self.observation("t", "vital-signs", coding(LOINC, "8310-5", "Body temperature"), minutes,
                                 "valueQuantity", value, baseline)
            if self.rng.random() < 0.5:
                r["bodySite"] = {"coding": [coding(SNOMED, "74262004", "Oral cavity structure")]}
        if not baseline:
            self.temps.append((minutes, canonical))

    def vitals(self, minutes, celsius, hr, sbp, dbp, rr, fahrenheit=False, baseline=False):
        self.temperature(minutes, celsius, fahrenheit, baseline)
        self.observation("hr", "vital-signs", coding(LOINC, "8867-4", "Heart rate"), minutes,
                         "valueQuantity", q(hr, "/min"), baseline)
        bp = self.observation("bp", "vital-signs", coding(LOINC, "85354-9", "Blood pressure panel"), minutes,
                              None, None, baseline)
        bp["component"] = [
            {"code": {"coding": [coding(LOINC, "8480-6", "Systolic blood pressure")]}, "valueQuantity": q(sbp, "mm[Hg]")},
            {"code": {"coding": [coding(LOINC, "8462-4", "Diastolic blood pressure")]}, "valueQuantity": q(dbp, "mm[Hg]")},
        ]
        self.observation("rr", "vital-signs", coding(LOINC, "9279-1", "Respiratory rate"), minutes,
                         "valueQuantity", q(rr, "/min"), baseline)

    def weight(self, minutes, kg):
        self.observation("w", "vital-signs", coding(LOINC, "29463-7", "Body weight"), minutes,
                         "valueQuantity", q(kg, "kg"))

    def lab(self, loinc, display, minutes, value, unit, low=None, high=None):
        r = self.observation("lab", "laboratory", coding(LOINC, loinc, display), minutes, "valueQuantity", q(value, unit))
        if high is not None:
            r["referenceRange"] = [{"low": q(low, unit), "high": q(high, unit)}]
        return r

    def anc(self, minutes, per_l):
        """Absolute neutrophil count (751-8) in x10^9/L, written in one of three accepted unit forms."""
        form = self.rng.randrange(3)
        if form == 0:
            self.lab("751-8", "Neutrophils [#/volume] in Blood", minutes, per_l, "10*3/uL", 1.8, 7.7)
        elif form == 1:
            self.lab("751-8", "Neutrophils [#/volume] in Blood", minutes, per_l, "10*9/L", 1.8, 7.7)
        else:
            self.lab("751-8", "Neutrophils [#/volume] in Blood", minutes, int(round(per_l * 1000)), "/uL", 1800, 7700)
        self.ancs.append((minutes, Decimal(repr(per_l)).quantize(Decimal("0.001"))))

    def ck(self, minutes, value):
        self.lab("2157-6", "Creatine kinase [Enzymatic activity/volume] in Serum or Plasma", minutes, value, "U/L", 30, 200)

    def liver_panel(self, minutes, alt, ast, bilirubin):
        self.lab("1742-6", "Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma", minutes, alt, "U/L", 7, 56)
        self.lab("1920-8", "Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma", minutes, ast, "U/L", 10, 40)
        self.lab("1975-2", "Bilirubin.total [Mass/volume] in Serum or Plasma", minutes, bilirubin, "mg/dL", 0.1, 1.2)

    # --- Findings and context (interfaces §4.6, §4.7) -----------------------------------------
    def finding(self, name, minutes, present=True):
        """A boolean finding, coded with the nmscds finding code or (where §4.6 lists one) SNOMED CT."""
        self.observation("f", "exam", coding(NMSCDS_FINDING, name), minutes, "valueBoolean", present)

    def snomed_finding(self, code, display, minutes, present=True):
        self.observation("f", "exam", coding(SNOMED, code, display), minutes, "valueBoolean", present)

    def rigidity(self, grade, minutes):
        """Rigidity grade, or present_ungraded ("generalised rigidity" recorded without a grade)."""
        if grade == "present_ungraded":
            self.finding("rigidity", minutes, True)
            return
        code, display = RIGIDITY_SNOMED[grade]
        self.observation("f", "exam", coding(NMSCDS_FINDING, "rigidity"), minutes, "valueCodeableConcept",
                         {"coding": [coding(SNOMED, code, display)]})

    def mental_status(self, level, minutes):
        if self.rng.random() < 0.5 and level in MENTAL_STATUS_SNOMED:
            code, display = MENTAL_STATUS_SNOMED[level]
            self.snomed_finding(code, display, minutes)
        else:
            self.observation("f", "exam", coding(NMSCDS_FINDING, "mental_status"), minutes, "valueCodeableConcept",
                             {"coding": [coding(NMSCDS_VALUE, level)]})

    def context_value(self, name, value, minutes):
        self.observation("ctx", "exam", coding(NMSCDS_CONTEXT, name), minutes, "valueCodeableConcept",
                         {"coding": [coding(NMSCDS_VALUE, value)]})

    def context_bool(self, name, value, minutes):
        self.observation("ctx", "exam", coding(NMSCDS_CONTEXT, name), minutes, "valueBoolean", value)
        if name == "anc_expected_to_fall":
            self.anc_expected_to_fall = value

    # --- Conditions ---------------------------------------------------------------------------
    def condition(self, icd, display, onset_minutes):
        self.has_conditions = True
        if icd[0] == "C" and icd[1:3].isdigit():
            kind = "hematologic" if 81 <= int(icd[1:3]) <= 96 else "solid"
            if self.malignancy != "hematologic":
                self.malignancy = kind
        self.add("Condition", {
            "resourceType": "Condition", "id": self.new_id("c"),
            "clinicalStatus": {"coding": [coding("http://terminology.hl7.org/CodeSystem/condition-clinical", "active")]},
            "verificationStatus": {"coding": [coding("http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed")]},
            "category": [{"coding": [coding("http://terminology.hl7.org/CodeSystem/condition-category", "problem-list-item")]}],
            "code": {"coding": [coding(ICD10, icd, display)], "text": display},
            "subject": self.subject, "onsetDateTime": self.at(onset_minutes), "recordedDate": self.at(onset_minutes),
        })

    # --- Medications --------------------------------------------------------------------------
    def med_request(self, drug, start_minutes, route, dose, reason=None, status="active", end_minutes=None,
                    coded=True):
        """A MedicationRequest by RxNorm ingredient (or by text only, as chemotherapy often is)."""
        med = {"coding": [coding(RXNORM, RX[drug], drug)], "text": drug} if coded else {"text": drug}
        timing = {"start": self.at(start_minutes)}
        if end_minutes is not None:
            timing["end"] = self.at(end_minutes)
        code, display = ROUTES[route]
        r = {"resourceType": "MedicationRequest", "id": self.new_id("mr"), "status": status, "intent": "order",
             "medicationCodeableConcept": med, "subject": self.subject, "authoredOn": self.at(start_minutes)}
        if reason:
            r["reasonCode"] = [{"text": reason}]
        r["dosageInstruction"] = [{"text": dose, "timing": {"repeat": {"boundsPeriod": timing}},
                                   "route": {"coding": [coding(SNOMED, code, display)]}}]
        return self.add("MedicationRequest", r)

    def med_admin(self, drug, minutes, dose_mg, route, request=None):
        code, display = ROUTES[route]
        r = {"resourceType": "MedicationAdministration", "id": self.new_id("ma"), "status": "completed",
             "medicationCodeableConcept": {"coding": [coding(RXNORM, RX[drug], drug)], "text": drug},
             "subject": self.subject, "effectiveDateTime": self.at(minutes)}
        if request is not None:
            r["request"] = {"reference": "MedicationRequest/" + request["id"]}
        r["dosage"] = {"route": {"coding": [coding(SNOMED, code, display)]}}
        if dose_mg is not None:
            r["dosage"]["dose"] = q(dose_mg, "mg")
        return self.add("MedicationAdministration", r)

    def chemotherapy(self, agents, end_minutes):
        """A completed cytotoxic course, identified by text only; its end is the last chemotherapy (§4.7)."""
        for agent in agents:
            self.add("MedicationRequest", {
                "resourceType": "MedicationRequest", "id": self.new_id("mr"), "status": "completed", "intent": "order",
                "medicationCodeableConcept": {"text": agent}, "subject": self.subject,
                "authoredOn": self.at(end_minutes + 3 * DAY), "reasonCode": [{"text": "chemotherapy cycle"}],
                "dosageInstruction": [{"timing": {"repeat": {"boundsPeriod": {
                    "start": self.at(end_minutes + 3 * DAY), "end": self.at(end_minutes)}}},
                    "route": {"coding": [coding(SNOMED, *ROUTES["iv"])]}}]})
        if self.last_chemo_min is None or end_minutes < self.last_chemo_min:
            self.last_chemo_min = end_minutes

    # --- Answer-key facts (clinical DF-23..DF-25, DF-31) ---------------------------------------
    def fn_fever(self):
        """DF-23 from the episode temperatures written: 'present', 'absent' or 'unknown'."""
        window = sorted((m, c) for m, c in self.temps if m <= DAY)  # latest first
        if not window:
            return "unknown"
        if any(c >= Decimal("38.3") for _, c in window):
            return "present"
        chrono = list(reversed(window))
        for i, (mi, ci) in enumerate(chrono):
            for j in range(i + 1, len(chrono)):
                mj, cj = chrono[j]
                if ci >= 38 and cj >= 38 and mi - mj >= 60 and all(c >= 38 for _, c in chrono[i:j + 1]):
                    return "present"
        return "absent" if window[0][1] < 38 else "unknown"

    def neutropenia(self):
        """DF-24 from the latest ANC within 48 h."""
        recent = sorted((m, a) for m, a in self.ancs if m <= 2 * DAY)
        if not recent:
            return "unknown"
        anc = recent[0][1]
        if anc < Decimal("0.5"):
            return "present"
        if anc >= 1:
            return "absent"
        return {True: "present", False: "absent"}.get(self.anc_expected_to_fall, "unknown")

    def recent_chemotherapy(self):
        """DF-31: chemotherapy within 42 days; false when the problem list holds no malignancy."""
        if self.last_chemo_min is not None:
            return self.last_chemo_min <= 42 * DAY
        if self.has_conditions and self.malignancy is None:
            return False
        return None

    def fn_expectation(self):
        fever, neutropenia = self.fn_fever(), self.neutropenia()
        if fever == "absent" or neutropenia == "absent":
            status = "absent"
        elif fever == "present" and neutropenia == "present":
            status = "present"
        else:
            status = "unknown"
        recent = self.recent_chemotherapy()
        presumed = (status == "unknown" and fever == "present" and
                    (recent is True or (recent is None and self.malignancy is not None)))
        return status, presumed


# --------------------------------------------------------------------------------------------------
# Scenarios. Each fills a PatientBuilder and returns (suspicion, dantrolene decision) with the clinical
# rows that decide them; FN status and presumed FN are computed from the data afterwards.
# --------------------------------------------------------------------------------------------------

def _psychiatric_patient(b, rng):
    b.patient(rng.randint(19, 64), rng.choice(["male", "female"]))
    icd, display = rng.choice(PSYCH_CONDITIONS)
    b.condition(icd, display, rng.randint(400, 4000) * DAY)


def _nms_episode(b, rng, temps_c, hr_peak, baseline=True, ck_ratio=None, labile=True):
    """Fever series (all > 38.0 °C), tachycardia, labile BP (systolic swing >= 25 mmHg, IEC C6 b) or steady BP;
    optional baseline vitals and CK (ULN 200)."""
    if baseline:
        b.vitals(rng.randint(5, 10) * DAY, 36.7, rng.randint(70, 84), rng.randint(115, 125), rng.randint(72, 80),
                 rng.randint(13, 16), baseline=True)
    n = len(temps_c)
    for i, celsius in enumerate(temps_c):
        minutes = 20 * HOUR - i * (19 * HOUR) // max(1, n - 1) if n > 1 else 60
        hr = hr_peak - (n - 1 - i) * rng.randint(4, 9)
        if labile:
            sbp, dbp = ((rng.randint(150, 170), rng.randint(92, 104)), (rng.randint(112, 124), rng.randint(66, 74)))[i % 2]
        else:
            sbp, dbp = rng.randint(126, 134), rng.randint(76, 82)
        b.vitals(minutes, celsius, hr, sbp, dbp, rng.randint(24, 30), fahrenheit=rng.random() < 0.25)
    if ck_ratio is not None:
        b.ck(rng.randint(2, 6) * HOUR, int(200 * ck_ratio))


def _nms_findings(b, rng, rigidity, mental, extra=("diaphoresis", "urinary_incontinence")):
    minutes = rng.randint(20, 120)
    b.rigidity(rigidity, minutes)
    b.mental_status(mental, minutes)
    for name in extra:
        if name == "urinary_incontinence" and rng.random() < 0.5:
            b.snomed_finding("165232002", "Urinary incontinence", minutes)
        else:
            b.finding(name, minutes)
    if rng.random() < 0.5:
        b.snomed_finding("26079004", "Tremor", minutes)


def _nms_workup(b, rng, temps_c, hr_peak, ck_ratio, rigidity, mental, anc, alt, ast, access):
    """The full work-up of a febrile patient with rigidity: baseline and episode vitals, CK, examination,
    ANC, liver panel (bilirubin normal) and the documented IV access."""
    _nms_episode(b, rng, temps_c, hr_peak, ck_ratio=ck_ratio)
    _nms_findings(b, rng, rigidity, mental)
    b.anc(rng.randint(2, 6) * HOUR, anc)
    b.liver_panel(rng.randint(2, 6) * HOUR, alt, ast, round(rng.uniform(0.3, 1.1), 1))
    b.context_value("iv_access", access, rng.randint(1, 12) * HOUR)


def _fever_series(rng, n, low, high):
    return [round(rng.uniform(low, high), 1) for _ in range(n)]


def s_nms_haloperidol(b, rng):
    """Haloperidol-triggered NMS, liver tests and IV access not yet documented.
    IEC C1+C2+C3+C4+C5+C6+C7 = 93 >= 74 -> S-1 high; hepatic and IV access unknown -> DEC-5."""
    _psychiatric_patient(b, rng)
    b.med_request("haloperidol", rng.randint(2, 6) * DAY, rng.choice(["oral", "im"]), "5 mg twice daily",
                  "acute psychosis")
    if rng.random() < 0.5:
        b.med_request("lorazepam", rng.randint(1, 2) * DAY, "oral", "1 mg as needed", "agitation")
    _nms_episode(b, rng, sorted(_fever_series(rng, 3, 38.4, 40.3)), rng.randint(118, 140), ck_ratio=rng.uniform(5, 60))
    _nms_findings(b, rng, "severe", rng.choice(["delirious", "stupor"]))
    b.anc(rng.randint(2, 6) * HOUR, round(rng.uniform(4.0, 11.0), 2))
    return "high", "insufficient_data"


def s_nms_olanzapine(b, rng):
    """Olanzapine-triggered NMS with ungraded rigidity, steady BP and no labs yet.
    IEC C1+C2+C3+C4 = 68 < 74 (C5-C8 unknown: no CK, no baseline, incontinence not examined); trigger + hyperthermia + 4 cardinal features -> S-2 possible;
    hepatic, IV access and rigidity grade unknown -> DEC-5 insufficient_data."""
    _psychiatric_patient(b, rng)
    b.med_request("olanzapine", rng.randint(3, 10) * DAY, "oral", "10 mg at night", "mania with psychosis")
    _nms_episode(b, rng, _fever_series(rng, 2, 38.4, 39.2), rng.randint(104, 118), baseline=False, labile=False)
    _nms_findings(b, rng, "present_ungraded", "confused", extra=("diaphoresis",))
    return "possible", "insufficient_data"


def _cancer_patient(b, rng, kind, chemo_days):
    """A patient with a coded malignancy and a cytotoxic course that ended chemo_days ago."""
    b.patient(rng.randint(35, 79), rng.choice(["male", "female"]))
    icd, display, agents = rng.choice(SOLID_TUMOURS if kind == "solid" else HEME_MALIGNANCIES)
    b.condition(icd, display, rng.randint(30, 400) * DAY)
    b.chemotherapy(agents, chemo_days * DAY + rng.randint(0, 12) * HOUR)


def _antiemetic_orders(b, rng, drug, route, dose):
    mr = b.med_request(drug, rng.randint(3, 6) * DAY, route, dose, "chemotherapy-induced nausea")
    if route == "iv":
        for minutes in (rng.randint(14, 18) * HOUR, rng.randint(4, 8) * HOUR):
            b.med_admin(drug, minutes, 10, "iv", mr)


def s_nms_metoclopramide(b, rng):
    """Metoclopramide (antiemetic) in a solid-tumour patient with febrile neutropenia on cefepime.
    IEC 20+18+17+13+10+10 (+5) >= 74, C8 not met in FN -> S-1 high; no DEC-3 reason (hepatic normal,
    central access, monotherapy); moderate rigidity, not refractory -> DEC-4 not_indicated."""
    _cancer_patient(b, rng, "solid", rng.randint(7, 12))
    _antiemetic_orders(b, rng, "metoclopramide", "iv", "10 mg IV every 8 hours")
    b.med_request("cefepime", rng.randint(3, 10) * HOUR, "iv", "2 g IV every 8 hours", "febrile neutropenia")
    _nms_workup(b, rng, _fever_series(rng, 3, 38.6, 39.6), rng.randint(112, 132), rng.uniform(5, 40), "moderate",
                "confused", round(rng.uniform(0.05, 0.4), 2), rng.randint(15, 50), rng.randint(15, 38), "central")
    return "high", "not_indicated"


def s_nms_prochlorperazine(b, rng):
    """Prochlorperazine (antiemetic) after chemotherapy, febrile, ANC not yet resulted (FN presumed).
    IEC 88 (C8 not met: FN presumed) -> S-1 high; poor venous access -> DEC-3 contraindicated."""
    _cancer_patient(b, rng, "solid", rng.randint(8, 14))
    b.med_request("prochlorperazine", rng.randint(2, 5) * DAY, rng.choice(["oral", "iv"]), "10 mg every 6 hours",
                  "nausea and vomiting")
    _nms_episode(b, rng, _fever_series(rng, 2, 38.5, 39.8), rng.randint(110, 130), baseline=False,
                 ck_ratio=rng.uniform(5, 30))
    _nms_findings(b, rng, "severe", rng.choice(["delirious", "stupor"]))
    b.context_value("iv_access", "poor", rng.randint(1, 12) * HOUR)
    return "high", "contraindicated"


def s_fn_no_antibiotics(b, rng):
    """Febrile neutropenia after chemotherapy, no empirical antibiotic yet, no dopamine antagonist.
    Fever >= 38.3 °C, or two readings >= 38.0 °C 60+ min apart (DF-23 ii); ANC < 0.5 -> FN present.
    No trigger (DF-13 absent) -> S-5 unlikely -> DEC-2 not_applicable."""
    _cancer_patient(b, rng, rng.choice(["solid", "hematologic"]), rng.randint(6, 12))
    b.med_request("ondansetron", rng.randint(3, 6) * DAY, "oral", "8 mg every 8 hours", "nausea")
    b.med_request("acyclovir", rng.randint(5, 9) * DAY, "oral", "400 mg twice daily", "antiviral prophylaxis")
    if rng.random() < 0.5:
        b.med_request("levofloxacin", rng.randint(5, 9) * DAY, "oral", "500 mg daily", "antibacterial prophylaxis")
    if rng.random() < 0.5:
        b.vitals(rng.randint(60, 120), round(rng.uniform(38.3, 39.4), 1), rng.randint(98, 122), rng.randint(100, 125),
                 rng.randint(60, 75), rng.randint(18, 24))
    else:  # sustained 38.0-38.2 °C: two readings at least an hour apart, nothing lower in between
        b.vitals(rng.randint(150, 240), rng.choice([38.0, 38.1, 38.2]), rng.randint(95, 110), 118, 70, 18)
        b.vitals(rng.randint(20, 60), rng.choice([38.0, 38.1, 38.2]), rng.randint(95, 110), 116, 68, 18)
    b.anc(rng.randint(2, 8) * HOUR, round(rng.uniform(0.01, 0.45), 2))
    b.mental_status("normal", rng.randint(30, 180))
    return "unlikely", "not_applicable"


def s_nms_polypharmacy_liver(b, rng):
    """Febrile neutropenic leukaemia patient on metoclopramide + olanzapine, ALT above ULN (the spec's example).
    IEC >= 74 -> S-1 high; DEC-3 contraindicated (d2_polypharmacy, alt_above_uln, ast_above_uln)."""
    _cancer_patient(b, rng, "hematologic", rng.randint(5, 10))
    _antiemetic_orders(b, rng, "metoclopramide", "iv", "10 mg IV every 8 hours")
    b.med_request("olanzapine", rng.randint(4, 6) * DAY, "oral", "5 mg at night", "refractory nausea")
    if rng.random() < 0.5:
        b.med_request("piperacillin", rng.randint(2, 10) * HOUR, "iv", "4.5 g IV every 6 hours", "febrile neutropenia")
    b.weight(rng.randint(1, 3) * DAY, rng.randint(55, 95))
    _nms_workup(b, rng, sorted(_fever_series(rng, 3, 38.4, 39.8)), rng.randint(118, 135), rng.uniform(6, 30), "severe",
                "delirious", round(rng.uniform(0.02, 0.3), 2), rng.randint(70, 220), rng.randint(60, 180), "central")
    return "high", "contraindicated"


def s_nms_monotherapy_consider(b, rng):
    """Antipsychotic monotherapy, severe (or refractory moderate) rigidity, every gate known and passed:
    hepatic normal (ALT, AST, bilirubin <= ULN; problem list without liver disease), central or large-bore
    access, no FN, no concurrent NMS therapy -> S-1 high, DEC-6 consider."""
    _psychiatric_patient(b, rng)
    b.med_request(rng.choice(["haloperidol", "risperidone", "quetiapine"]), rng.randint(3, 9) * DAY, "oral",
                  "as prescribed", "psychosis")
    b.weight(rng.randint(1, 5) * DAY, rng.randint(55, 110))
    refractory = rng.random() < 0.3
    _nms_workup(b, rng, sorted(_fever_series(rng, 3, 38.5, 40.4)), rng.randint(115, 140), rng.uniform(5, 50),
                "moderate" if refractory else "severe", rng.choice(["delirious", "confused", "stupor"]),
                round(rng.uniform(3.0, 9.0), 2), rng.randint(12, 50), rng.randint(14, 38),
                rng.choice(["central", "large_bore_peripheral"]))
    if refractory:
        b.finding("rigidity_refractory", rng.randint(20, 120))
    return "high", "consider"


def s_malignant_hyperthermia(b, rng):
    """Sevoflurane + succinylcholine at surgery, then fever > 38 °C, masseter spasm and hypercarbia.
    DF-16 exposure and features -> DEC-1 malignant_hyperthermia_protocol; no NMS trigger -> S-5 unlikely."""
    b.patient(rng.randint(18, 60), rng.choice(["male", "female"]))
    b.condition(*rng.choice([("K35.80", "Unspecified acute appendicitis"), ("K80.00", "Calculus of gallbladder with acute cholecystitis without obstruction")]),
                rng.randint(1, 2) * DAY)
    exposure = rng.randint(2, 4) * HOUR
    b.med_admin("succinylcholine", exposure, 100, "iv")
    b.med_admin("sevoflurane", exposure - 5, None, "inhaled")
    b.med_admin("propofol", exposure + 5, 150, "iv")
    b.vitals(exposure + 30, 36.9, 78, 124, 76, 14)
    b.vitals(rng.randint(15, 60), round(rng.uniform(38.6, 40.5), 1), rng.randint(125, 150), rng.randint(90, 150),
             rng.randint(50, 90), rng.randint(22, 30))
    minutes = rng.randint(10, 40)
    b.snomed_finding("53442002", "Trismus", minutes)
    b.snomed_finding("29596007", "Hypercapnia", minutes)
    b.anc(rng.randint(1, 3) * HOUR, round(rng.uniform(4.0, 12.0), 2))
    return "unlikely", "malignant_hyperthermia_protocol"


def n_healthy(b, rng):
    """Healthy or chronically ill outpatient with normal vitals (recent or months old), often no medications.
    No fever, no trigger, no rigidity -> S-5 unlikely, DEC-2 not_applicable."""
    b.patient(rng.randint(18, 90), rng.choice(["male", "female"]))
    if rng.random() < 0.5:
        icd, display = rng.choice(CHRONIC)
        b.condition(icd, display, rng.randint(200, 5000) * DAY)
        b.med_request(rng.choice(["atorvastatin", "lisinopril", "metformin"]), rng.randint(100, 2000) * DAY, "oral",
                      "once daily")
    minutes = rng.randint(1, 20) * HOUR if rng.random() < 0.6 else rng.randint(3, 400) * DAY
    b.vitals(minutes, round(rng.uniform(36.1, 37.4), 1), rng.randint(58, 92), rng.randint(105, 138), rng.randint(62, 86),
             rng.randint(12, 18), fahrenheit=rng.random() < 0.2)
    if rng.random() < 0.5:
        b.weight(minutes, rng.randint(50, 115))
    return "unlikely", "not_applicable"


def n_infection_fever(b, rng):
    """Bacterial or viral infection with fever and tachycardia, no dopamine antagonist; ANC normal or not
    measured (then FN unknown, not presumed: the problem list holds no malignancy, DF-31).
    No trigger -> S-5 unlikely, DEC-2 not_applicable."""
    b.patient(rng.randint(18, 92), rng.choice(["male", "female"]))
    icd, display = rng.choice(INFECTIONS)
    b.condition(icd, display, rng.randint(1, 3) * DAY)
    b.med_request(rng.choice(["ceftriaxone", "azithromycin"]), rng.randint(4, 30) * HOUR, "iv", "per protocol", display)
    b.med_request("acetaminophen", rng.randint(4, 30) * HOUR, "oral", "1 g every 6 hours as needed", "fever")
    for minutes in (rng.randint(14, 22) * HOUR, rng.randint(1, 6) * HOUR):
        b.vitals(minutes, round(rng.uniform(38.4, 39.8), 1), rng.randint(96, 124), rng.randint(100, 135),
                 rng.randint(58, 82), rng.randint(18, 26), fahrenheit=rng.random() < 0.3)
    if rng.random() < 0.25:
        b.mental_status("confused", rng.randint(30, 180))
    if rng.random() < 0.7:
        b.anc(rng.randint(2, 10) * HOUR, round(rng.uniform(6.0, 15.0), 2))
    return "unlikely", "not_applicable"


def n_stable_antipsychotic(b, rng):
    """Stable psychiatric patient on an antipsychotic, afebrile; sometimes mild drug-induced parkinsonism.
    Trigger present but no hyperthermia and at most one cardinal feature -> S-5 unlikely, DEC-2."""
    _psychiatric_patient(b, rng)
    drug = rng.choice(["risperidone", "aripiprazole", "quetiapine", "olanzapine", "haloperidol", "clozapine"])
    b.med_request(drug, rng.randint(30, 1500) * DAY, "oral", "maintenance dose", "schizophrenia")
    recent = rng.random() < 0.7
    minutes = rng.randint(1, 20) * HOUR if recent else rng.randint(4, 60) * DAY
    b.vitals(minutes, round(rng.uniform(36.2, 37.4), 1), rng.randint(62, 96), rng.randint(108, 136),
             rng.randint(64, 86), rng.randint(12, 18))
    if recent:
        exam = rng.randint(20, 120)
        b.mental_status("normal", exam)
        if rng.random() < 0.3:  # drug-induced parkinsonism
            b.rigidity("mild", exam)
            b.snomed_finding("26079004", "Tremor", exam)
        else:
            b.rigidity("none", exam)
    if drug == "clozapine" or rng.random() < 0.2:
        b.anc(rng.randint(1, 30) * DAY, round(rng.uniform(2.0, 6.5), 2))
    return "unlikely", "not_applicable"


def n_cancer_fever(b, rng):
    """Febrile patient after chemotherapy on non-dopaminergic antiemetics; ANC pending (FN unknown but
    presumed, DF-25: flagged although nothing was planted) or resulted normal (FN absent)."""
    _cancer_patient(b, rng, "solid", rng.randint(5, 20))
    b.med_request("ondansetron", rng.randint(3, 8) * DAY, "oral", "8 mg every 8 hours", "nausea")
    b.med_request("pantoprazole", rng.randint(3, 30) * DAY, "oral", "40 mg daily")
    for minutes in (rng.randint(6, 12) * HOUR, rng.randint(1, 4) * HOUR):
        b.vitals(minutes, round(rng.uniform(38.4, 39.2), 1), rng.randint(92, 115), rng.randint(105, 130),
                 rng.randint(60, 80), rng.randint(16, 22))
    if rng.random() < 0.5:
        b.anc(rng.randint(1, 4) * HOUR, round(rng.uniform(2.5, 6.0), 2))
    return "unlikely", "not_applicable"


def n_neutropenia_afebrile(b, rng):
    """Neutropenic after chemotherapy but afebrile: FN absent (DF-23 fever absent), not flagged."""
    _cancer_patient(b, rng, rng.choice(["solid", "hematologic"]), rng.randint(7, 14))
    b.med_request("ondansetron", rng.randint(3, 8) * DAY, "oral", "8 mg every 8 hours", "nausea")
    b.med_request("allopurinol", rng.randint(7, 20) * DAY, "oral", "300 mg daily")
    b.vitals(rng.randint(1, 8) * HOUR, round(rng.uniform(36.4, 37.6), 1), rng.randint(70, 96), rng.randint(105, 130),
             rng.randint(60, 80), rng.randint(14, 18))
    b.anc(rng.randint(2, 12) * HOUR, round(rng.uniform(0.05, 0.45), 2))
    return "unlikely", "not_applicable"


POSITIVE_SCENARIOS = [
    ("nms_haloperidol", s_nms_haloperidol),
    ("nms_olanzapine", s_nms_olanzapine),
    ("nms_metoclopramide_fn", s_nms_metoclopramide),
    ("nms_prochlorperazine_fn_presumed", s_nms_prochlorperazine),
    ("fn_no_antibiotics", s_fn_no_antibiotics),
    ("nms_polypharmacy_liver", s_nms_polypharmacy_liver),
    ("nms_monotherapy_consider", s_nms_monotherapy_consider),
    ("malignant_hyperthermia", s_malignant_hyperthermia),
]
NEGATIVE_SCENARIOS = [  # (name, function, cumulative weight)
    ("healthy", n_healthy, 0.55),
    ("infection_fever", n_infection_fever, 0.70),
    ("stable_antipsychotic", n_stable_antipsychotic, 0.85),
    ("cancer_fever", n_cancer_fever, 0.93),
    ("neutropenia_afebrile", n_neutropenia_afebrile, 1.0),
]
FLAG_ORDER = ("nms_high", "nms_possible", "malignant_hyperthermia", "febrile_neutropenia", "fn_presumed")


def key_line(pid, scenario, planted, suspicion, decision, fn_status, fn_presumed):
    """One answer-key object; flags and `flagged` follow interfaces §10 (data_errors are always 0 here)."""
    present = {"nms_high": suspicion == "high", "nms_possible": suspicion == "possible",
               "malignant_hyperthermia": decision == "malignant_hyperthermia_protocol",
               "febrile_neutropenia": fn_status == "present", "fn_presumed": fn_presumed}
    flags = [f for f in FLAG_ORDER if present[f]]
    return {"patient_id": pid, "scenario": scenario, "planted": planted, "suspicion": suspicion,
            "dantrolene_decision": decision, "fn_status": fn_status, "fn_presumed": fn_presumed,
            "flagged": bool(flags), "flags": flags}


class Export:
    """The open NDJSON files: <Type>.<NNN>.ndjson for every type and file index."""

    def __init__(self, out_dir, files_per_type):
        self.out_dir = out_dir
        self.k = files_per_type
        self.files = {}
        self.counts = {}
        self.bytes = 0
        for rtype in RESOURCE_TYPES:
            for n in range(files_per_type):
                name = "%s.%03d.ndjson" % (rtype, n)
                self.files[(rtype, n)] = open(os.path.join(out_dir, name), "w", encoding="utf-8", newline="\n",
                                              buffering=1 << 20)
                self.counts[(rtype, n)] = 0

    def write_patient(self, index, resources):
        """Resource j of a type goes to file (index + j) mod K, so one patient's lines of one type are spread."""
        seen = {}
        for rtype, resource in resources:
            j = seen.get(rtype, 0)
            seen[rtype] = j + 1
            slot = (rtype, (index + j) % self.k)
            line = json.dumps(resource, separators=(",", ":")) + "\n"
            self.files[slot].write(line)
            self.counts[slot] += 1
            self.bytes += len(line)

    def close(self, transaction_time):
        """Closes every file, removes empty ones and writes manifest.json (types and files in name order)."""
        output = []
        for (rtype, n), f in sorted(self.files.items()):
            f.close()
            name = "%s.%03d.ndjson" % (rtype, n)
            if self.counts[(rtype, n)] == 0:
                os.remove(os.path.join(self.out_dir, name))
                continue
            output.append({"type": rtype, "url": name, "count": self.counts[(rtype, n)]})
        manifest = {"transactionTime": transaction_time, "request": "https://example.org/fhir/$export",
                    "requiresAccessToken": False, "output": output, "error": []}
        with open(os.path.join(self.out_dir, "manifest.json"), "w", encoding="utf-8", newline="\n") as f:
            f.write(json.dumps(manifest, indent=2) + "\n")


def parse_at(text):
    """RFC 3339 date-time with an offset -> (epoch seconds, canonical 'YYYY-MM-DDThh:mm:ssZ')."""
    try:
        dt = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError("not an RFC 3339 date-time: %s" % text)
    if dt.tzinfo is None:
        raise argparse.ArgumentTypeError("--at needs a UTC offset (Z or +hh:mm): %s" % text)
    epoch = int(dt.timestamp())
    return epoch, time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def generate(out_dir, patients, rate, seed, t0_epoch, t0_text, files_per_type, key_path):
    rng = random.Random(seed)
    export = Export(out_dir, files_per_type)
    summary = {"patients": patients, "planted": 0, "flagged": 0, "resources": 0}
    with open(key_path, "w", encoding="utf-8", newline="\n", buffering=1 << 20) as key:
        for index in range(patients):
            pid = "synth-%06d" % (index + 1)
            b = PatientBuilder(pid, t0_epoch, rng)
            planted = rng.random() < rate
            if planted:
                scenario, build = POSITIVE_SCENARIOS[summary["planted"] % len(POSITIVE_SCENARIOS)]
                summary["planted"] += 1
            else:
                draw = rng.random()
                scenario, build = next((name, fn) for name, fn, cum in NEGATIVE_SCENARIOS if draw < cum)
            suspicion, decision = build(b, rng)
            fn_status, fn_presumed = b.fn_expectation()
            entry = key_line(pid, scenario, planted, suspicion, decision, fn_status, fn_presumed)
            summary["flagged"] += entry["flagged"]
            summary["resources"] += len(b.resources)
            export.write_patient(index, b.resources)
            key.write(json.dumps(entry, separators=(",", ":")) + "\n")
    export.close(t0_text)
    summary["bytes"] = export.bytes
    return summary


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, help="export directory (created; must hold no .ndjson files)")
    parser.add_argument("--patients", required=True, type=int, help="number of patients")
    parser.add_argument("--positive-rate", type=float, default=0.05, help="share of planted positives (0-1)")
    parser.add_argument("--seed", type=int, default=1, help="random seed")
    parser.add_argument("--at", type=parse_at, default=parse_at("2026-11-20T14:00:00Z"),
                        help="T0: every time is relative to it (default 2026-11-20T14:00:00Z)")
    parser.add_argument("--files-per-type", type=int, default=2, help="NDJSON files per resource type (1-999)")
    parser.add_argument("--key", help="answer-key path (default DIR/%s)" % KEY_NAME)
    args = parser.parse_args(argv)
    if args.patients < 0 or not 0 <= args.positive_rate <= 1 or not 1 <= args.files_per_type <= 999:
        parser.error("need --patients >= 0, 0 <= --positive-rate <= 1 and 1 <= --files-per-type <= 999")
    key_path = args.key or os.path.join(args.out, KEY_NAME)
    if key_path.endswith(".ndjson") and os.path.dirname(os.path.abspath(key_path)) == os.path.abspath(args.out):
        parser.error("the answer key must not be an .ndjson file inside the export directory")
    os.makedirs(args.out, exist_ok=True)
    if any(name.endswith(".ndjson") for name in os.listdir(args.out)):
        parser.error("%s already holds .ndjson files; use an empty directory" % args.out)

    started = time.perf_counter()
    s = generate(args.out, args.patients, args.positive_rate, args.seed, args.at[0], args.at[1],
                 args.files_per_type, key_path)
    seconds = max(time.perf_counter() - started, 1e-9)
    sys.stderr.write("synth_cohort: %d patients (%d planted, %d flagged by the key), %d resources, %.1f MB in %.1f s: "
                     "%.0f patients/s, %.1f MB/s\n" % (s["patients"], s["planted"], s["flagged"], s["resources"],
                                                        s["bytes"] / 1e6, seconds, s["patients"] / seconds,
                                                        s["bytes"] / 1e6 / seconds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
