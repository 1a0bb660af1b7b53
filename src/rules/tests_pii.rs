use super::*;

fn digits(s: &str) -> Vec<u8> {
    s.chars()
        .map(|c| if c == 'X' { 10 } else { c as u8 - b'0' })
        .collect()
}

fn kinds(text: &str) -> Vec<(Kind, String)> {
    find(text).into_iter().map(|h| (h.kind, h.masked)).collect()
}

// Fictional numbers with correct check characters (computed by hand with
// the GB 11643-1999 weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, mod 11).
const ID: &str = "340104199003071235";
const ID_X: &str = "11010519491231002X";
const ID_LEAP: &str = "440306200002290017";
const CARD19: &str = "6222021234567890128";
const CARD16: &str = "6228480012345671";

#[test]
fn gb11643_check_characters() {
    assert_eq!(id_check_char(&digits(&ID[..17])), Some('5'));
    assert_eq!(id_check_char(&digits(&ID_X[..17])), Some('X'));
    assert!(id_valid(&digits(ID)));
    assert!(id_valid(&digits(ID_X)));
    assert!(id_valid(&digits(ID_LEAP)));
    // Wrong check digit, impossible date, unknown province.
    assert!(!id_valid(&digits("340104199003071234")));
    assert!(!id_valid(&digits("440306190002290013")));
    assert!(!id_valid(&digits("990104199003071236")));
}

#[test]
fn luhn_check() {
    assert!(luhn(&digits(CARD19)));
    assert!(luhn(&digits(CARD16)));
    assert!(luhn(&digits("4111111111111111")));
    assert!(!luhn(&digits("6222021234567890127")));
    assert!(!luhn(&[]));
}

#[test]
fn masking() {
    assert_eq!(mask(Kind::IdNumber, &digits(ID_X)), "1101**********002X");
    assert_eq!(mask(Kind::Mobile, &digits("13800135678")), "138****5678");
    assert_eq!(mask(Kind::BankCard, &digits(CARD19)), "6222 **** **** 0128");
    let line = format!("身份证{ID}，电话13800135678，卡号{CARD16}。");
    let masked = mask_all(&line);
    assert_eq!(
        masked,
        "身份证3401**********1235，电话138****5678，卡号6228 **** **** 5671。"
    );
}

#[test]
fn finds_ids_phones_and_cards() {
    let text = format!("张三，身份证号{ID_X}，手机：13912345678，工资卡{CARD19}。");
    assert_eq!(
        kinds(&text),
        vec![
            (Kind::IdNumber, "1101**********002X".to_string()),
            (Kind::Mobile, "139****5678".to_string()),
            (Kind::BankCard, "6222 **** **** 0128".to_string()),
        ]
    );
    // Full-width digits and a lower-case x.
    let fw = "身份证１１０１０５１９４９１２３１００２x";
    assert_eq!(kinds(fw)[0].0, Kind::IdNumber);
}

#[test]
fn grouped_forms() {
    assert_eq!(kinds("电话 138 0013 8000")[0].1, "138****8000");
    assert_eq!(kinds("电话 138-0013-8000")[0].1, "138****8000");
    assert_eq!(
        kinds("卡号 6222 0212 3456 7890 128")[0].1,
        "6222 **** **** 0128"
    );
    assert_eq!(kinds("340104 19900307 1235")[0].0, Kind::IdNumber);
    // A date before a phone number does not swallow it.
    assert_eq!(kinds("2026-11-20 13800138000")[0].1, "138****8000");
}

#[test]
fn not_personal() {
    for text in [
        // Masked forms.
        "3401**********1235",
        "138****5678",
        "6222 **** **** 0128",
        "1101**********002X",
        // Part of a longer run, a code or a quantity.
        "138001380001",
        "A13800138000",
        "13800138000.5",
        "预算13800138000元",
        "共计13,800,138,000",
        // Landlines, wrong check digit, card failing Luhn or with a
        // non-card first digit.
        "0551-63835800",
        "12345",
        "340104199003071234",
        "6222021234567890127",
        "9111111111111111",
        // Hex digests and dates.
        "sha256:e20d21988559332440f86bc906060f1a50d17551652fe122b7dea606cfc7acc5",
        "2026-11-20 09:30",
    ] {
        assert!(find(text).is_empty(), "{text}: {:?}", find(text));
    }
}

#[test]
fn exemption_is_read_from_front_matter() {
    assert_eq!(
        exemption("title: x\npii_exemption: 惩戒公示\n").as_deref(),
        Some("惩戒公示")
    );
    assert_eq!(exemption("title: x\n"), None);
    assert_eq!(exemption("pii_exemption:\n"), None);
    assert!(exemption("pii_exemption: [a, b]\n").is_some());
}

#[test]
fn urls_are_not_scanned() {
    let text = format!("见 https://www.gov.cn/files/{ID}.pdf 与 13800138000");
    let r = Region::new(&text, 10);
    let mut out = Vec::new();
    scan(&r, &mut out);
    assert_eq!(out.len(), 1, "{out:?}");
    assert_eq!(out[0].line, 10);
    assert!(out[0].message.contains("138****8000"));
    assert!(!out[0].message.contains("13800138000"));
    assert!(!out[0]
        .snippet
        .as_deref()
        .unwrap_or("")
        .contains("13800138000"));
}
