package ingest

// Jira writes its CSV headers in the exporting user's language. These are the system fields'
// headers as Jira's translations spell them, in the languages whose month names relscope
// reads, each mapped to the English header (normalised) the reader knows. A CSV header is
// the field's name in the user's language — the same string the issue view, the HTML export
// and the REST API's expand=names give — so each entry below is one a public source shows
// for that field. Sources, per language (public repositories found by searching public code
// for the localised names; quoted as they appear there):
//
//   - es: a Jira Cloud export quoted in the issue that asked for this (Resumen, Clave de
//     incidencia, ID de la incidencia, Tipo de Incidencia, Estado, Creada, Actualizada,
//     Resuelta, Etiquetas, Clave principal, Categoría de estado); Informador, Responsable,
//     Prioridad and "Campo personalizado (…)" as exports read by public tools carry them.
//   - de: a German Jira Cloud instance's HTML export (halbesrechteck.atlassian.net: each
//     column's field id beside its name — fixVersions Lösungsversionen, components
//     Komponenten, labels Label, statuscategorychangedate Statuskategorie geändert,
//     statusCategory Statuskategorie, description Beschreibung, security Sicherheitsstufe),
//     the same names in another Cloud instance's REST expand=names map, and a German Cloud
//     CSV header kept as a sample in a public app (Zusammenfassung, Vorgangsschlüssel,
//     Vorgangs-ID, Vorgangstyp, Status, Projektschlüssel, … Benutzerdefinierte Felder (…),
//     Sprint, Statuskategorie, Übergeordnet); earlier: Schlüssel, Zugewiesene Person, Autor,
//     Priorität, Lösung, Erstellt, Aktualisiert, Fälligkeitsdatum, Erledigt from a "current
//     fields" export read by a public tool, Stichwörter and Lösungsversion(en) from a Server
//     instance's field guide.
//   - fr: a public tool's column constants for French Cloud exports (Type de ticket, Clé de
//     ticket, ID de ticket, Résumé, Personne assignée, Rapporteur, Priorité, État,
//     Résolution, Création, Mise à jour, Date d'échéance); a script reading a French export
//     with pandas (Version(s) corrigée(s), Étiquettes, Composants, Champs personnalisés (…));
//     a dependency-graph tool's "real Jira format" sample (Lien de ticket sortant (Blocks),
//     Lien du ticket entrant (Blocks)); Catégorie d'état as a French-export importer's
//     aliases spell it; Clé de projet as a public tool reads French exports.
//   - pt (Brazil): a public dashboard's documented columns of Brazilian Cloud exports (Tipo
//     de item, Chave da item, ID da item, Resumo, Responsável, Relator, Prioridade, Status,
//     Resolução, Criado, Atualizado(a), Data limite), a script writing tickets "in Jira's
//     export format" (Pai, Chave pai), importers reading Resolvido, Versões corrigidas and
//     Categoria do status; "Campo personalizado (…)" as Spanish spells it, seen in the same
//     exports.
//   - ru: a Jira CSV export quoted in a public project's test (Тема, Ключ проблемы, Тип
//     задачи, Статус, Приоритет, Исполнитель, Компоненты, Исправить в версиях, Входящая
//     связь задачи (…)); Метки, the labels field's name in UI tests of Russian Jira Server;
//     Ключ проблемы and "Пользовательское поле (…)" as a public tool documents Russian
//     all-fields exports; Создано, Обновлено, Дата решения, Автор, Решение, Срок исполнения as
//     it reads them.
//
// Not found in any public source, so not here: Spanish Fix versions, Project key, Status
// Category Changed and link columns; German Parent key and link columns; French and
// Portuguese Status Category Changed and Project key (pt); Russian Status Category (Changed),
// Project key and outward links; Japanese altogether. Any other header — another language, a
// renamed field — is one line of columns: in relscope.yaml. The vocabulary is applied once per
// file, to the header, never per row.
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
	"vorgangsschlüssel":           "issue_key",
	"schlüssel":                   "issue_key",
	"vorgangstyp":                 "issue_type",
	"zusammenfassung":             "summary",
	"zugewiesene_person":          "assignee",
	"autor":                       "reporter",
	"priorität":                   "priority",
	"lösung":                      "resolution",
	"erstellt":                    "created",
	"aktualisiert":                "updated",
	"fälligkeitsdatum":            "due_date",
	"erledigt":                    "resolved",
	"übergeordnet":                "parent",
	"stichwörter":                 "labels",
	"lösungsversion(en)":          "fix_versions",
	"lösungsversion/en":           "fix_versions",
	"lösungsversionen":            "fix_versions",
	"statuskategorie_geändert":    "status_category_changed",
	"statuskategorie":             "status_category",
	"projektschlüssel":            "project_key",
	"vorgangs_id":                 "issue_id",
	"label":                       "labels",
	"komponenten":                 "components",
	"beschreibung":                "description",
	"sicherheitsstufe":            "security_level",
	"benutzerdefinierte_felder_(": "custom_field_(",
	// fr
	"clé_de_ticket":            "issue_key",
	"clé_de_projet":            "project_key",
	"résumé":                   "summary",
	"type_de_ticket":           "issue_type",
	"priorité":                 "priority",
	"état":                     "status",
	"résolution":               "resolution",
	"id_de_ticket":             "issue_id",
	"personne_assignée":        "assignee",
	"rapporteur":               "reporter",
	"création":                 "created",
	"mise_à_jour":              "updated",
	"date_d'échéance":          "due_date",
	"version(s)_corrigée(s)":   "fix_versions",
	"étiquettes":               "labels",
	"composants":               "components",
	"catégorie_d'état":         "status_category",
	"catégorie_d’état":         "status_category",
	"champs_personnalisés_(":   "custom_field_(",
	"lien_de_ticket_sortant_(": "outward_issue_link_(",
	"lien_du_ticket_entrant_(": "inward_issue_link_(",
	// pt (Brazil)
	"resumo":              "summary",
	"chave_da_item":       "issue_key",
	"id_da_item":          "issue_id",
	"tipo_de_item":        "issue_type",
	"responsável":         "assignee",
	"relator":             "reporter",
	"prioridade":          "priority",
	"resolução":           "resolution",
	"criado":              "created",
	"atualizado(a)":       "updated",
	"resolvido":           "resolved",
	"data_limite":         "due_date",
	"versões_corrigidas":  "fix_versions",
	"categoria_do_status": "status_category",
	"pai":                 "parent",
	"chave_pai":           "parent_key",
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
	"исправить_в_версиях":     "fix_versions",
	"компоненты":              "components",
	"метки":                   "labels",
	"входящая_связь_задачи_(": "inward_issue_link_(",
	"пользовательское_поле_(": "custom_field_(",
}
