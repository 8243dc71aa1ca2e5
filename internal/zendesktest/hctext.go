package zendesktest

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// jsonObject builds one JSON object by hand, field by field, so that the bytes
// are exactly what is written: strings keep <, > and & unescaped (as
// Zendesk sends them) and numbers are never floats.
type jsonObject struct{ buf []byte }

func newJSONObject() *jsonObject { return &jsonObject{buf: []byte{'{'}} }

func (o *jsonObject) key(k string) *jsonObject {
	if len(o.buf) > 1 {
		o.buf = append(o.buf, ',')
	}
	o.buf = append(o.buf, '"')
	o.buf = append(o.buf, k...)
	o.buf = append(o.buf, '"', ':')
	return o
}

func (o *jsonObject) str(k, v string) *jsonObject {
	o.key(k)
	o.buf = appendString(o.buf, v)
	return o
}

// raw adds a value given as JSON text.
func (o *jsonObject) raw(k, v string) *jsonObject {
	o.key(k)
	o.buf = append(o.buf, v...)
	return o
}

func (o *jsonObject) id(k string, v uint64) *jsonObject {
	o.key(k)
	o.buf = strconv.AppendUint(o.buf, v, 10)
	return o
}

func (o *jsonObject) num(k string, v int) *jsonObject {
	o.key(k)
	o.buf = strconv.AppendInt(o.buf, int64(v), 10)
	return o
}

func (o *jsonObject) flag(k string, v bool) *jsonObject {
	o.key(k)
	o.buf = strconv.AppendBool(o.buf, v)
	return o
}

func (o *jsonObject) time(k string, t time.Time) *jsonObject {
	return o.str(k, t.UTC().Format(time.RFC3339))
}

func (o *jsonObject) done() json.RawMessage { return append(o.buf, '}') }

// appendString appends s as a JSON string without HTML escaping.
func appendString(dst []byte, s string) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return append(dst, bytes.TrimSuffix(b.Bytes(), []byte("\n"))...)
}

// fakeExtra is a field no Zendesk client knows, in bytes that a decode and
// re-encode would change: escapes, a trailing zero, an integer beyond
// uint64.
const fakeExtra = `{"nested":[1,2],"score":1.50,"huge":123456789012345678901234567890,` +
	`"escaped":"caf\u00e9 \/ \ud83d\ude00 \u003cb\u003e"}`

// hcPhrases is the text of one language.
type hcPhrases struct {
	categories, sections, titles, paragraphs []string
}

var hcEmoji = []string{"🚀", "👩‍💻", "🇯🇵", "✅", "📦", "🔐", "🧾", "❤️"}

var hcPhrasebooks = map[string]hcPhrases{
	"en": {
		categories: []string{"Getting started", "Billing & payments", "Troubleshooting"},
		sections:   []string{"Your account", "Invoices", "Connectivity", "Security", "Mobile app"},
		titles: []string{"How to reset your password", "Understanding your invoice",
			"Setting up two-factor authentication", "Why is my app slow?", "Exporting <your> data"},
		paragraphs: []string{"Follow these steps to get going.",
			"If a < b and b > c, you're probably looking at the wrong report & should refresh.",
			"Contact support if the problem persists; we answer within one business day."},
	},
	"ja": {
		categories: []string{"はじめに", "請求とお支払い", "トラブルシューティング"},
		sections:   []string{"アカウント", "請求書", "接続", "セキュリティ", "モバイルアプリ"},
		titles: []string{"パスワードをリセットする方法", "請求書の見方", "二段階認証の設定",
			"アプリが遅いのはなぜですか？", "データのエクスポート"},
		paragraphs: []string{"以下の手順に従ってください。", "問題が解決しない場合は、サポートまでご連絡ください。",
			"設定画面で「保存」をクリックします＆ページを再読み込みします。"},
	},
	"ar": {
		categories: []string{"البدء", "الفواتير والمدفوعات", "استكشاف الأخطاء وإصلاحها"},
		sections:   []string{"حسابك", "الفواتير", "الاتصال", "الأمان", "تطبيق الجوال"},
		titles: []string{"كيفية إعادة تعيين كلمة المرور", "فهم فاتورتك", "إعداد المصادقة الثنائية",
			"لماذا التطبيق بطيء؟", "تصدير بياناتك"},
		paragraphs: []string{"اتبع هذه الخطوات للبدء.", "إذا استمرت المشكلة، اتصل بالدعم. שלום ותודה.",
			"\u200fانقر على «حفظ» ثم أعد تحميل الصفحة."},
	},
	"es": {
		categories: []string{"Primeros pasos", "Facturación y pagos", "Solución de problemas"},
		sections:   []string{"Tu cuenta", "Facturas", "Conectividad", "Seguridad", "Aplicación móvil"},
		titles: []string{"Cómo restablecer tu contraseña", "Entender tu factura",
			"Configurar la autenticación en dos pasos", "¿Por qué la aplicación es lenta?",
			"Exportar tus datos"},
		paragraphs: []string{"Sigue estos pasos para empezar.", "Si el problema persiste, contáctanos.",
			"Haz clic en «Guardar» y recarga la página; ¡listo!"},
	},
	"he": {
		categories: []string{"תחילת העבודה", "חיובים ותשלומים", "פתרון בעיות"},
		sections:   []string{"החשבון שלך", "חשבוניות", "קישוריות", "אבטחה", "אפליקציה"},
		titles: []string{"איך לאפס את הסיסמה", "הבנת החשבונית", "הגדרת אימות דו-שלבי",
			"למה האפליקציה איטית?", "ייצוא הנתונים שלך"},
		paragraphs: []string{"בצע את השלבים הבאים.", "אם הבעיה נמשכת, פנה לתמיכה.",
			"לחץ על \"שמור\" וטען מחדש את הדף."},
	},
}

// phrasebook returns the text for a locale's language, English when the
// language has none.
func hcPhrasebook(locale string) hcPhrases {
	lang, _, _ := strings.Cut(locale, "-")
	if p, ok := hcPhrasebooks[lang]; ok {
		return p
	}
	return hcPhrasebooks["en"]
}

func hcPick(list []string, i int) string { return list[i%len(list)] }

// slug is the English title's URL form, as Zendesk puts it in html_url.
func slug(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(title) {
		ok := r >= 'a' && r <= 'z' || r >= '0' && r <= '9'
		switch {
		case ok:
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}
