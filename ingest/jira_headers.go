package ingest

// Jira writes its CSV headers in the exporting user's language. These are the system fields'
// headers as Jira's translations spell them, in the languages whose month names relscope
// reads, each mapped to the English header (normalised) the reader knows. Sources, per
// language — real exports as public code reads them, and Atlassian's localised documentation:
//
//   - es: a Jira Cloud export quoted in the issue that asked for this (Resumen, Clave de
//     incidencia, ID de la incidencia, Tipo de Incidencia, Estado, Creada, Actualizada,
//     Resuelta, Etiquetas, Clave principal, Categoría de estado); Informador, Responsable,
//     Prioridad and "Campo personalizado (…)" as exports read by public tools carry them.
//   - de: a "current fields" export read by a public tool (Vorgangstyp, Schlüssel,
//     Zusammenfassung, Zugewiesene Person, Autor, Priorität, Status, Lösung, Erstellt,
//     Aktualisiert, Fälligkeitsdatum, Erledigt, Übergeordnet), Vorgangsschlüssel as the
//     default ticket column of another; Stichwörter and Lösungsversion(en) from a German Jira
//     instance's field guide.
//   - fr: Clé de ticket and Clé de projet as a public tool reads French exports; Résumé, Type
//     de ticket, Priorité, État, Résolution as another maps them.
//   - pt: Resumo, from Atlassian's Portuguese documentation of the CSV format.
//   - ru: Ключ проблемы and "Пользовательское поле (…)" as a public tool documents Russian
//     all-fields exports; Тема, Тип задачи, Статус, Создано, Обновлено, Дата решения,
//     Исполнитель, Автор, Приоритет, Решение, Срок исполнения as it reads them.
//
// Only what a source shows is here; any other header — another language, a renamed field —
// is one line of columns: in relscope.yaml. The vocabulary is applied once per file, to the
// header, never per row.
var jiraHeaderVocab = map[string]string{
	// es
	"resumen":               "summary",
	"clave_de_incidencia":   "issue_key",
	"id_de_la_incidencia":   "issue_id",
	"tipo_de_incidencia":    "issue_type",
	"estado":                "status",
	"creada":                "created",
	"actualizada":           "updated",
	"resuelta":              "resolved",
	"etiquetas":             "labels",
	"clave_principal":       "parent_key",
	"categoría_de_estado":   "status_category",
	"informador":            "reporter",
	"responsable":           "assignee",
	"prioridad":             "priority",
	"campo_personalizado_(": "custom_field_(",
	// de
	"vorgangsschlüssel":  "issue_key",
	"schlüssel":          "issue_key",
	"vorgangstyp":        "issue_type",
	"zusammenfassung":    "summary",
	"zugewiesene_person": "assignee",
	"autor":              "reporter",
	"priorität":          "priority",
	"lösung":             "resolution",
	"erstellt":           "created",
	"aktualisiert":       "updated",
	"fälligkeitsdatum":   "due_date",
	"erledigt":           "resolved",
	"übergeordnet":       "parent",
	"stichwörter":        "labels",
	"lösungsversion(en)": "fix_versions",
	"lösungsversion/en":  "fix_versions",
	"lösungsversionen":   "fix_versions",
	// fr
	"clé_de_ticket":  "issue_key",
	"clé_de_projet":  "project_key",
	"résumé":         "summary",
	"type_de_ticket": "issue_type",
	"priorité":       "priority",
	"état":           "status",
	"résolution":     "resolution",
	// pt
	"resumo": "summary",
	// ru
	"ключ_проблемы":           "issue_key",
	"тема":                    "summary",
	"тип_задачи":              "issue_type",
	"статус":                  "status",
	"создано":                 "created",
	"обновлено":               "updated",
	"дата_решения":            "resolved",
	"исполнитель":             "assignee",
	"автор":                   "reporter",
	"приоритет":               "priority",
	"решение":                 "resolution",
	"срок_исполнения":         "due_date",
	"пользовательское_поле_(": "custom_field_(",
}
