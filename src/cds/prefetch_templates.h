#pragma once
// The prefetch templates of the three services (interfaces.md §8.6), used by discovery and by the service
// when it must fetch an absent key itself. `{{context.patientId}}` is the only token. The LOINC lists cover
// every code of the knowledge base's observation kinds (checked by a test).
#include <string_view>

namespace nmscds {

struct PrefetchKey {
  std::string_view key;
  bool required;
  std::string_view query;  // FHIR search relative to fhirServer
};

#define NMSCDS_VITAL_CODES                                                                                  \
  "http://loinc.org|8310-5,http://loinc.org|8331-1,http://loinc.org|8332-9,http://loinc.org|8328-7,"        \
  "http://loinc.org|8333-7,http://loinc.org|8329-5,http://loinc.org|8867-4,http://loinc.org|85354-9,"       \
  "http://loinc.org|55284-4,http://loinc.org|8480-6,http://loinc.org|8462-4,http://loinc.org|9279-1,"       \
  "http://loinc.org|9269-2,http://loinc.org|29463-7,http://loinc.org|3141-9,http://loinc.org|8302-2"
#define NMSCDS_LAB_CODES                                                                                    \
  "http://loinc.org|1742-6,http://loinc.org|1743-4,http://loinc.org|1920-8,http://loinc.org|30239-8,"       \
  "http://loinc.org|1975-2,http://loinc.org|14631-6,http://loinc.org|6768-6,http://loinc.org|2157-6,"       \
  "http://loinc.org|6690-2,http://loinc.org|26464-8,http://loinc.org|751-8,http://loinc.org|753-4,"         \
  "http://loinc.org|26499-4,http://loinc.org|742-7,http://loinc.org|743-5,http://loinc.org|26484-6,"        \
  "http://loinc.org|2160-0,http://loinc.org|38483-4,http://loinc.org|14682-9,http://loinc.org|2823-3,"      \
  "http://loinc.org|6298-4,http://loinc.org|2639-3,http://loinc.org|6301-6,http://loinc.org|34714-6,"       \
  "http://loinc.org|2345-7,http://loinc.org|2339-0,http://loinc.org|777-3"

inline constexpr PrefetchKey kPrefetchKeys[] = {
    {"patient", true, "Patient/{{context.patientId}}"},
    {"vitals", true, "Observation?patient={{context.patientId}}&code=" NMSCDS_VITAL_CODES "&_sort=-date&_count=500"},
    {"labs", true, "Observation?patient={{context.patientId}}&code=" NMSCDS_LAB_CODES "&_sort=-date&_count=300"},
    {"findings", false, "Observation?patient={{context.patientId}}&category=exam&_sort=-date&_count=200"},
    {"medication_requests", true,
     "MedicationRequest?patient={{context.patientId}}&status=active,on-hold,stopped,completed&_sort=-authoredon&_count=200"},
    {"medication_administrations", true,
     "MedicationAdministration?patient={{context.patientId}}&_sort=-effective-time&_count=500"},
    {"medication_statements", false, "MedicationStatement?patient={{context.patientId}}&_count=200"},
    {"conditions", true, "Condition?patient={{context.patientId}}&_count=500"},
    {"allergies", false, "AllergyIntolerance?patient={{context.patientId}}"},
    {"procedures", false, "Procedure?patient={{context.patientId}}&_sort=-date&_count=100"},
    {"devices", false, "Device?patient={{context.patientId}}"},
};

#undef NMSCDS_VITAL_CODES
#undef NMSCDS_LAB_CODES

}  // namespace nmscds
