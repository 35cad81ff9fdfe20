"""Benign values for gen.py: what real events carry that looks a little like an attack."""
import base64
import json
import zlib

V = []   # (category, kind, value)


def add(cat, v, kind="s"):
    V.append((cat, kind, v))


# names with apostrophes, hyphens, diacritics
first = ["Seán", "Siobhán", "D'Arcy", "Zoë", "José", "Renée", "Bjørn", "Łukasz", "Nguyễn", "Mary-Kate",
         "Jean-Luc", "N'Golo", "Ma'ayan", "Ta'Shawn", "O'Neal", "Dónal", "François", "Ömer", "Şule", "Kai"]
last = ["O'Brien", "O'Connor", "D'Angelo", "McDonald", "Dell'Acqua", "N'Diaye", "O'Malley", "L'Oréal", "Al-Rashid",
        "van der Berg", "de la Cruz", "Ó Súilleabháin", "Smith-Jones", "D'Souza", "Mac Giolla", "Sant'Anna"]
for i in range(80):
    add("names", "%s %s" % (first[i % len(first)], last[(i * 7) % len(last)]))
for n in ["O'Brien", "o'brien", "O’Brien", "Dell'Orto & Sons", "Rock 'n' Roll Café", "Children's Hospital",
          "McDonald's", "Macy's", "Levi's 501", "Toys \"R\" Us", "Ben & Jerry's", "AT&T", "P&G", "H&M",
          "Johnson & Johnson", "Marks & Spencer", "the '90s", "it's 5 o'clock", "Martha's Vineyard",
          "St. John's Wort", "Hawai'i", "Côte d'Ivoire", "L'Aquila", "Bahá'í", "Guinea-Bissau"]:
    add("names", n)

# prose with SQL-ish / shell-ish words
prose = [
    "Please select an option from the drop-down menu and press Submit.",
    "I'd like to drop my subscription and select the cheaper plan instead.",
    "The union of the two sets is the set of all elements in either one.",
    "Our union members will select a new representative on Friday.",
    "Don't forget to drop by the office; we're going to select the winners.",
    "If 1=1 then the statement is trivially true, as my maths teacher said.",
    "and 1=1 is how my professor introduced tautologies, or so I recall.",
    "Select all that apply: (a) red, (b) blue, (c) green.",
    "Insert the card, then select 'Withdraw' and enter the amount.",
    "We had to delete from the list everyone who didn't reply, sorry!",
    "Where do I update my address? The form says 'order by' date.",
    "My order #1234 was dropped; can you check where it went?",
    "Table for 4 at 8pm please, we'll select wine on arrival.",
    "I love the script of this movie, the screenplay is brilliant.",
    "The script for the school play is due; I wrote the first act.",
    "Use sleep mode to save battery when the laptop lies idle.",
    "The exec committee meets on Thursday to discuss the budget.",
    "He said 'hello' -- then left. Weird, right?",
    "The price went from $5 to $7; that's a 40% increase.",
    "Results: 3 > 2 and 2 < 3, as expected; also 5 >= 5.",
    "Cat food and dog food are in aisle 5; ping me if you can't find them.",
    "I'll cat the logs later & send you the output; the system is slow today.",
    "Set the thermostat to 21 and echo my thanks to the team.",
    "This is a test; please ignore | thanks!",
    "Rock & roll; blues & jazz; country & western.",
    "We need eggs; milk; bread & butter; and coffee.",
    "Meeting moved: Mon -> Wed; room 4B | bring laptops",
    "Note: use `npm install` and then `npm test` to run the suite.",
    "Price: 10 USD & free shipping; returns within 30 days.",
    "Is it true that 'or' and 'and' are conjunctions?",
    "Mom's recipe: 2 cups flour, 1 cup sugar; bake at 180°C for 30 min.",
    "Lunch is at 12; don't be late -- the chef's special goes fast.",
    "Just the usual: select few, drop-in sessions, union jack flags.",
    "The sentence 'Robert'); DROP TABLE Students;--' is a famous comic joke, which I quoted in my essay title",
    "I'm at the café; where are you? Let's meet at 5 & grab food.",
    "Temps: -5°C at night, +3°C in the afternoon.",
    "Feeling 100% today :) thanks for asking!",
    "Version 2.0 > 1.9, upgrade recommended (see release notes).",
    "Email me at jane.doe@example.com or call +1 (555) 010-0199.",
    "10/10 would order again!!! <3",
    "The ratio was 3:1 and the result 1/3 — strange but true.",
    "Our motto: 'Work hard; play hard'.",
    "Summary: union dues are due; select members exempt.",
    "Is 'admin' the default username? I forgot what I set it to.",
    "Ship to: Flat 2, 10 O'Connell St; Dublin 1; Ireland",
    "Can you remove the 'OR' from the title? It should read 'Tea & Cake'.",
    "I tried -1 and +1 on the dial and nothing happened.",
    "please cancel order 88123; the size doesn't fit",
    "Where's my refund?? It's been 2 weeks... :(",
    "The tutorial said to run `rm -rf node_modules && npm install` and it worked!",
]
for p in prose:
    add("prose", p)

# markdown
md = [
    "# Release notes\n\n* Fixed login bug\n* Improved `select` performance\n\n> Thanks to all contributors!",
    "## Steps\n1. Open **Settings**\n2. Select *Privacy*\n3. Click [Delete account](https://example.com/help#delete)",
    "```sql\nSELECT id, name FROM users WHERE active = true;\n```\nThis query lists active users.",
    "Use `git log --oneline | head -5` to see the last commits.",
    "| Column | Type |\n|---|---|\n| id | int |\n| name | text |",
    "![diagram](https://cdn.example.com/img/arch.png \"Architecture\")",
    "- [ ] write tests\n- [x] update docs\n- [ ] deploy to prod",
    "Inline HTML is allowed: <kbd>Ctrl</kbd>+<kbd>C</kbd> copies.",
    "Footnote here[^1].\n\n[^1]: See page 42.",
    "**Warning:** do *not* run this as root.\n\n```bash\nsudo apt-get update && sudo apt-get install -y nginx\n```",
    "```python\nimport os\nprint(os.getcwd())\n```",
    "~~old price~~ new price: **$19.99**",
    "> Quote: \"Simplicity is prerequisite for reliability.\" -- Dijkstra",
    "Title\n=====\n\nSubtitle\n--------\n\nText with _emphasis_ and a line break.  \nNext line.",
    "```js\nconst x = require('express');\nconst app = x();\napp.get('/', (req, res) => res.send('ok'));\n```",
    "Run `docker compose up -d` then open http://localhost:8080/.",
    "Escape a pipe in tables with \\| like this: a \\| b",
    "1. First\n   - nested\n   - items\n2. Second",
    "Set `DEBUG=1` in `.env` and restart.",
    "```\n$ ls -la\ntotal 8\ndrwxr-xr-x 2 user user 4096 Jan 1 00:00 .\n```",
]
for p in md:
    add("markdown", p)

# code snippets in comments / code review
code = [
    "// TODO: sanitize input before building the query",
    "/* SELECT * FROM users -- old query, kept for reference */",
    "# note: we removed the call to os.system() in v2",
    "def add(a, b):\n    return a + b",
    "for (let i = 0; i < n; i++) { total += items[i].price; }",
    "if (x > 0 && y < 10) { return true; }",
    "SELECT name, COUNT(*) FROM orders GROUP BY name ORDER BY 2 DESC;",
    "UPDATE settings SET theme = 'dark' WHERE user_id = 42;",
    "const total = items.reduce((s, i) => s + i.qty * i.price, 0);",
    "print(f\"Hello, {name}!\")",
    "console.log(`Total: ${total}`);",
    "echo \"Build finished\"",
    "git commit -m 'fix: handle empty cart'",
    "String.format(\"%s has %d items\", user, count)",
    "x = [i**2 for i in range(10)]",
    "SELECT * FROM products WHERE price < 20",
    "public static void main(String[] args) { System.out.println(\"hi\"); }",
    "fn main() { println!(\"{}\", 42); }",
    "grep -r 'TODO' src/ | wc -l",
    "<!-- comment: header section -->",
    "Error: Cannot read properties of undefined (reading 'map') at App.js:42:17",
    "Traceback (most recent call last):\n  File \"app.py\", line 3, in <module>\nKeyError: 'name'",
    "java.lang.NullPointerException\n\tat com.example.Foo.bar(Foo.java:12)",
    "regex: ^[a-z0-9._%+-]+@[a-z0-9.-]+\\.[a-z]{2,}$",
    "SELECT 1",
    "npm ERR! code ENOENT",
    "a && b || c",
    "while True: pass",
    "$ kubectl get pods -n default",
    "let greeting = 'it' + \"'\" + 's fine';",
]
for p in code:
    add("code_snippet", p)

# file paths
paths = ["/home/alice/docs/report.pdf", "C:\\Users\\Bob\\Documents\\invoice.docx", "images/2024/05/photo.jpg",
         "uploads/user-123/avatar.png", "../assets/logo.svg", "./config/settings.yaml", "/var/www/html/index.html",
         "reports/Q3 (final).xlsx", "src/components/Button.tsx", "/usr/local/bin/python3", "docs/README.md",
         "data/2024-01-01.csv", "~/Downloads/setup.dmg", "D:\\Projects\\game\\save01.dat", "/opt/app/logs/app.log",
         "backup/db_2024-06-01.sql.gz", "music/Guns N' Roses - Patience.mp3", "photos/Rock 'n' Roll/01.jpg",
         "../README.md", "static/css/main.min.css", "node_modules/.bin/tsc", "/tmp/upload_8f3a.bin",
         "projects/my app/src/main.py", "invoices/2024/INV-0001.pdf", "/mnt/data/train/images/000123.png",
         "\\\\fileserver\\share\\team\\plan.docx", "a/b/c/d/e/f.txt", "%2Fhome%2Falice%2Fnotes.txt",
         "folder%20with%20spaces/file.txt", "etc/config.json", "public/etc/passwords-help.html",
         "docs/etc/passwd-reset-guide.md", "assets/../assets/img.png", "Résumé – Zoë (2024).pdf"]
for p in paths:
    add("file_paths", p)

# URLs and emails
urls = ["https://www.example.com/search?q=shoes&size=42&color=red",
        "https://example.com/path/to/page?utm_source=newsletter&utm_medium=email#section-2",
        "http://localhost:3000/api/v1/users?page=2&limit=50", "https://en.wikipedia.org/wiki/SQL_injection",
        "https://en.wikipedia.org/wiki/Cross-site_scripting", "https://github.com/org/repo/blob/main/src/index.js#L10-L20",
        "https://maps.google.com/?q=O%27Brien%27s+Pub%2C+Dublin", "https://example.com/a%20b/c%2Fd",
        "mailto:support@example.com?subject=Order%20%23123", "ftp://files.example.org/pub/readme.txt",
        "https://cdn.example.com/img.png?w=300&h=200&fit=crop", "https://example.com/redirect?next=%2Fdashboard%3Ftab%3D2",
        "https://shop.example.com/p/men's-shoes-42", "https://example.com/?q=select+a+union+rep",
        "https://example.com/#/settings/profile", "tel:+15550100199", "https://xn--bcher-kva.example/",
        "https://example.com/search?q=%22hello+world%22", "https://example.com/path;jsessionid=ABC123",
        "https://api.example.com/v2/items/{id}", "https://example.com/?a[]=1&a[]=2",
        "https://example.com/report.pdf?download=1&name=Q3%20report", "s3://my-bucket/path/to/key.json",
        "https://login.example.com/oauth/authorize?response_type=code&client_id=abc&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb&scope=openid%20email"]
for u in urls:
    add("urls", u)
emails = ["jane.doe@example.com", "o'brien@example.ie", "first.last+tag@sub.example.co.uk", "user_name@example.org",
          "\"john..doe\"@example.com", "x@example.museum", "info@müller.de", "admin@example.com", "sales-team@example.com",
          "d'angelo.r@example.it"]
for e in emails:
    add("emails", e)

# HTML a CMS legitimately carries
cms = ["<p>Hello <b>world</b></p>", "<a href=\"https://example.com\">link</a>",
       "<img src=\"https://cdn.example.com/a.png\" alt=\"A photo\" width=\"300\">",
       "<p>Our <em>new</em> collection is <strong>here</strong>!</p>",
       "<ul><li>One</li><li>Two</li></ul>", "<h2>Shipping</h2><p>Free over $50.</p>",
       "<a href=\"mailto:info@example.com\">Email us</a>", "<img src=\"/uploads/2024/06/hero.jpg\" alt=\"\">",
       "<blockquote>To be, or not to be</blockquote>", "<table><tr><td>1</td><td>2</td></tr></table>",
       "<p style=\"text-align:center\">Centered</p>", "<span class=\"badge\">New</span>",
       "<a href=\"/products?id=5&amp;color=red\">Red one</a>", "<br><hr>", "<code>SELECT * FROM t</code>",
       "<pre>if (a &lt; b) { return; }</pre>", "<p>Tom &amp; Jerry &lt;3</p>", "<i>O'Brien's</i> pub",
       "<a href=\"https://example.com/page#top\" title=\"Back to top\" target=\"_blank\" rel=\"noopener\">Top</a>",
       "<img src=\"data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/x8AAwMCAO+ip1sAAAAASUVORK5CYII=\" alt=\"dot\">",
       "<div class=\"row\"><div class=\"col-6\">Left</div><div class=\"col-6\">Right</div></div>",
       "<p>Use the <kbd>select</kbd> key to choose</p>", "<h1>Union Station</h1>", "<sup>1</sup> see note",
       "<p>Script writers' workshop: Saturday</p>", "<font color=\"red\">sale</font>",
       "<a href=\"https://example.com/?q=script\">script search</a>", "<img src=\"img.jpg\" alt=\"onerror cats\">",
       "<label for=\"email\">Email</label>", "<video src=\"/media/intro.mp4\" controls></video>",
       "<p>Formula: E = mc<sup>2</sup></p>", "<abbr title=\"Structured Query Language\">SQL</abbr>",
       "<p>See the <a href=\"/docs/onboarding\">onboarding guide</a>.</p>", "<s>old</s> <ins>new</ins>",
       "<picture><source srcset=\"a.webp\" type=\"image/webp\"><img src=\"a.jpg\" alt=\"\"></picture>",
       "<p>Prices &gt;= $10 ship free</p>", "<details><summary>More</summary>Hidden text</details>",
       "<audio controls src=\"/podcast/ep1.mp3\"></audio>", "<a href=\"#section-2\">Jump</a>",
       "<p>&#169; 2024 Example Ltd.</p>"]
for h in cms:
    add("cms_html", h)

# CSV data with signs
csv_rows = ["-5", "+1", "-5.25", "+44 20 7946 0958", "-", "--", "+", "-10%", "+3.5%", "@home", "@jane_doe",
            "-1,2,3", "+1 (555) 010-0199", "=", "-0.0001", "-$5.00", "+/- 2mm", "@ 5pm", "- bullet point",
            "-Infinity", "+Inf", "@mention me", "-2024-01-01", "=)", "- milk\n- eggs", "+1-800-FLOWERS",
            "-40°C", "@example.com", "-e", "+++", "=== heading ===", "-> next", "@@ -1,3 +1,4 @@",
            "-1", "+0", "-12,345.67", "2024-06-01,-5,+1,foo", "id,amount\n1,-5\n2,+7",
            "name,score\nalice,=\nbob,-3", "= not a formula, just an equals sign", "=> arrow",
            "-- signature", "+ added line", "-removed", "@channel please review"]
for c in csv_rows:
    add("csv_data", c)

# config JSON with $ keys
cfg = [
    {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object",
     "properties": {"name": {"type": "string"}}, "required": ["name"]},
    {"$ref": "#/definitions/address"}, {"$id": "https://example.com/person.schema.json", "title": "Person"},
    {"$comment": "generated by tool v1.2", "version": 3}, {"items": [{"$$hashKey": "object:12", "name": "a"}]},
    {"$type": "Example.Models.Order, Example", "id": 5}, {"$version": "1.0", "settings": {"dark": True}},
    {"price": "$19.99", "currency": "USD"}, {"vars": {"$HOME": "/home/app", "$PATH": "/usr/bin"}},
    {"template": "Hello ${name}, your order ${orderId} shipped"}, {"amount": {"$numberDecimal": "12.50"}},
    {"created": {"$date": "2024-06-01T00:00:00Z"}}, {"_id": {"$oid": "507f1f77bcf86cd799439011"}},
    {"$metadata": {"etag": "abc"}}, {"definitions": {"$defs": {"x": {"type": "integer"}}}},
    {"@context": "https://schema.org", "@type": "Product", "name": "Shoe"},
    {"$": "dollar alone", "$$": "two"}, {"env": "prod", "feature_flags": {"beta_$plan": True}},
]
for c in cfg:
    add("config_dollar_keys", c, "j")

# base64 images / blobs
png1 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/x8AAwMCAO+ip1sAAAAASUVORK5CYII="
for i in range(20):
    blob = zlib.compress(("image-%d-" % i).encode() * (20 + i * 7))
    b = base64.b64encode(b"\x89PNG\r\n\x1a\n" + blob).decode()
    add("base64_blobs", {"filename": "img%d.png" % i, "content": b}, "j")
    add("base64_blobs", "data:image/png;base64," + (b if i % 2 else png1))
add("base64_blobs", "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wAALCAABAAEBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAAA//EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8AN//Z")

# shell-looking documentation
shdoc = [
    "To install, run: curl -fsSL https://get.example.com | sh",
    "Usage: tool [-h] [-v] --input FILE --output DIR",
    "Run `make && make install` as a normal user; then `sudo ldconfig`.",
    "Example: ls -la | grep .txt",
    "cd ~/project; npm ci; npm run build",
    "export PATH=$PATH:/usr/local/go/bin",
    "Press Ctrl+C to stop; then run ./start.sh again.",
    "Windows: dir /s /b *.log",
    "ssh user@host 'uptime'",
    "pip install -r requirements.txt && python manage.py migrate",
    "tar -xzf archive.tar.gz -C /opt/app",
    "find . -name '*.pyc' -delete",
    "The `&&` operator runs the next command only if the first succeeds.",
    "Redirect output with `> out.txt` and errors with `2>&1`.",
    "echo $HOME prints your home directory.",
    "Use $(pwd) to get the current directory in scripts.",
    "Backticks like `date` were the old substitution syntax.",
    "Configure cron: */5 * * * * /usr/bin/backup.sh",
    "docker run --rm -it -v $(pwd):/app node:20 bash",
    "If ping 8.8.8.8 fails, check your DNS; then restart networking.",
]
for s in shdoc:
    add("shell_docs", s)

# e-commerce
products = ["Men's Running Shoe - Size 10", "Women's 3/4 Sleeve Top (Navy)", "Kids' Lego® Set #42115",
            "Samsung 55\" QLED TV", "USB-C to USB-A cable, 2m", "Coffee beans 1kg — Colombia 'Supremo'",
            "T-shirt 'I <3 NY'", "Phone case for iPhone 15 Pro/Pro Max", "Drill & bit set (100 pcs)",
            "Café table 60×60 cm", "Select Series headphones", "Union Jack mug", "Script font poster A3",
            "Drop-shipped garden chair", "Exec office chair, black", "Order-by-phone gift card £25",
            "50% OFF! Buy 1 get 1 free", "Apple AirPods (2nd gen)", "Nike Air Max 90 'Infrared'",
            "Dr. Martens 1460 boots"]
for i, p in enumerate(products):
    add("ecommerce", {"sku": "SKU-%05d" % (i * 37), "title": p, "price": round(9.99 + i * 3.5, 2), "qty": i % 4 + 1,
                      "coupon": ["SAVE10", "WELCOME", "", "BF-2024"][i % 4],
                      "shipping": {"name": "Pat O'Hara", "line1": "12 St. Mary's Rd", "city": "Cork",
                                   "zip": "T12 X5Y2", "country": "IE"}}, "j")
    add("ecommerce", p)
for r in ["Great product, 5/5 would buy again!", "Arrived late :( but works", "Size runs small -- order 1 up",
          "Doesn't fit my 'Pro' model; returning", "Good value & quick delivery; recommended",
          "Colour is more 'teal' than 'blue'", "Battery life = amazing", "2 stars: the box was damaged",
          "Is this compatible with model X-100? Thanks!", "Price match? Saw it for $5 less elsewhere",
          "order id: 7f3e-22; status: shipped | tracking: 1Z999AA10123456784"]:
    add("ecommerce", r)

# chat messages in several languages
chat = ["Hallo, wie geht's? Können wir morgen telefonieren?", "¿Dónde está la estación? Gracias :)",
        "C'est l'heure du déjeuner ! On se retrouve où ?", "Ciao! Com'è andata l'interrogazione?",
        "Olá, tudo bem? Vou chegar às 18h.", "Привет! Как дела? Увидимся в 7.", "你好，今天下午三点开会。",
        "こんにちは！明日の予定はどうですか？", "안녕하세요, 주문한 상품이 아직 안 왔어요.", "مرحبا، كيف حالك؟",
        "שלום! מה שלומך?", "Merhaba, siparişim nerede?", "Cześć! Dzięki za pomoc :)", "Hej! Vi ses på fredag.",
        "नमस्ते, आप कैसे हैं?", "Xin chào, bạn khỏe không?", "Γεια σου! Τι κάνεις;", "Sawasdee krub 🙏",
        "lol 😂😂 that's hilarious", "brb, grabbing coffee ☕", "ok cool -- see u @ 5", "Can't wait!!! 🎉🎉",
        "j'ai dit 'oui' et il a dit 'non'", "l'ordre d'exécution est important", "d'accord, à demain",
        "dell'anno scorso", "wie geht's dir? gut, danke!", "<3 you too", ":-) ;-) :-P", "^_^ >_< o_O",
        "1+1=2, right? 😅", "50% off today only!!!", "meet @ Joe's? 7:30?", "I'm in room 3B; door's open",
        "pls send the file /shared/q3/plan.pptx", "Is it 'select' or 'choose'? English is hard",
        "We dropped the table... the wooden one, in the kitchen 😬", "union meeting @ 6; bring snacks",
        "your script was great in rehearsal!", "What's the exec summary?", "<< see above >>",
        "price is $$$ but worth it", "#blessed #mondaymotivation", "@all standup in 5",
        "Τα λέμε αύριο; (see you tomorrow?)", "¡Qué guay! ¿Vamos al cine?", "Ça va? -- oui, ça va.",
        "ok & thx", "Q: 2>1? A: yes", "first; second; third", "a | b | c", "yes/no/maybe"]
for c in chat:
    add("chat_multilingual", c)


def write(shapes_benign, R):
    n = 0
    all_shapes = None
    with open("benign.jsonl", "w") as f, open("benign.meta.jsonl", "w") as m:
        for idx, (cat, kind, v) in enumerate(V):
            evs = list(shapes_benign(kind, v, False))
            # each value in 3 shapes (4 for short categories), rotating so every shape is used
            k = 4 if cat in ("cms_html", "csv_data", "config_dollar_keys", "urls", "shell_docs", "code_snippet") else 3
            for j in range(k):
                shape, line = evs[(idx * 5 + j * 7) % len(evs)]
                f.write(line + "\n")
                m.write(json.dumps({"category": cat, "shape": shape,
                                    "value": v if kind == "s" else json.dumps(v)[:300]}) + "\n")
                n += 1
    return n
