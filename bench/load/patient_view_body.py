#!/usr/bin/env python3
"""Writes a CDS Hooks patient-view request whose prefetch holds the febrile-neutropenic polypharmacy patient
(../shared/spec/examples/bundle-fn-polypharmacy.json split by prefetch key, interfaces.md section 8.6)."""
import json
import sys

bundle = json.load(open(sys.argv[1]))
keys = {}
patient = None
route = {
    "Observation": "vitals", "MedicationRequest": "medication_requests", "Medication": "medication_requests",
    "MedicationAdministration": "medication_administrations", "MedicationStatement": "medication_statements",
    "Condition": "conditions", "AllergyIntolerance": "allergies", "Device": "devices", "Procedure": "procedures",
}
patient_entry = next(e for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient")
patient_url, patient_id = patient_entry.get("fullUrl"), patient_entry["resource"]["id"]
for entry in bundle["entry"]:
    resource = entry["resource"]
    for member in ("subject", "patient"):  # a FHIR server answers with relative references
        if resource.get(member, {}).get("reference") == patient_url:
            resource[member]["reference"] = "Patient/" + patient_id
    if resource["resourceType"] == "Patient":
        patient = resource
        continue
    key = route.get(resource["resourceType"])
    if key:
        keys.setdefault(key, {"resourceType": "Bundle", "type": "searchset", "entry": []})["entry"].append(entry)
prefetch = {"patient": patient}
for key in ("vitals", "labs", "medication_requests", "medication_administrations", "conditions"):
    prefetch[key] = keys.get(key)
prefetch.update(keys)
json.dump({"hook": "patient-view", "hookInstance": "bench-1", "context": {"userId": "Practitioner/1",
           "patientId": patient["id"]}, "prefetch": prefetch}, sys.stdout, separators=(",", ":"))
