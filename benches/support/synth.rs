//! Synthetic knowledge for the benchmarks: films, composers and terms that look like the real
//! ones (titles of several words drawn from a shared vocabulary, so many titles share words;
//! people's names with accents, apostrophes and initials; aliases such as acronyms, short forms
//! and original-language titles), written as the YAML files people write, so loading them
//! exercises the same parser and checks as the shipped knowledge.
//!
//! Everything is derived from a seed: the same seed and size give the same files. Used by the
//! benchmarks (`benches/`) and by `cargo run --release --example synth`.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use leitmotif::knowledge::{self, Kind, Sources};
use leitmotif::text;

/// The seed the benchmarks use.
pub const SEED: u64 = 0x1e17_0f1f;

/// Of the synthetic entries, how many in a thousand are films and composers; the rest are
/// terms. Close to the shipped knowledge's proportions (142 : 74 : 50), with fewer terms, since
/// a glossary grows more slowly than a filmography.
const FILMS_PER_MILLE: usize = 750;
const COMPOSERS_PER_MILLE: usize = 200;

/// splitmix64: small, fast and good enough to pick words; no dependency needed.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator started from `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// True with probability `percent` in a hundred.
    pub fn percent(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// One element of `list`.
    pub fn pick<'a, T>(&mut self, list: &'a [T]) -> &'a T {
        &list[self.below(list.len())]
    }

    /// One element of `list`, the first ones far more often (a word like "night" is in many
    /// titles, "lantern" in few): the square of a uniform number skews towards 0.
    pub fn skewed<'a, T>(&mut self, list: &'a [T]) -> &'a T {
        let u = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        &list[((u * u) * list.len() as f64) as usize]
    }
}

/// One generated entry: its kind, id and the YAML file's text.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Film, composer or term.
    pub kind: Kind,
    /// The id (file name without `.yaml`).
    pub id: String,
    /// The file's contents.
    pub yaml: String,
    /// The primary name (title, name or term), as written.
    pub name: String,
}

/// `total` entries: the shipped knowledge in `shipped` (if any) plus synthetic ones up to
/// `total`. Synthetic names never repeat a shipped name, and synthetic films credit only
/// synthetic composers, so every shipped answer keeps its facts.
pub fn generate(total: usize, seed: u64, shipped: &Sources) -> Vec<Entry> {
    let shipped_count = shipped.films.len() + shipped.composers.len() + shipped.terms.len();
    let synthetic = total.saturating_sub(shipped_count);
    let films = synthetic * FILMS_PER_MILLE / 1000;
    let composers = (synthetic * COMPOSERS_PER_MILLE / 1000).max(usize::from(films > 0));
    let terms = synthetic - films - composers;
    let mut g = Generator::new(seed, shipped);
    g.run(films, composers, terms)
}

/// Adds generated entries to `sources` as if read from files under `dir`.
pub fn add_to(sources: &mut Sources, entries: &[Entry], dir: &Path) {
    for entry in entries {
        let file = dir
            .join(entry.kind.folder())
            .join(format!("{}.yaml", entry.id));
        knowledge::add_file(sources, entry.kind, entry.id.clone(), file, &entry.yaml);
    }
}

/// The shipped knowledge plus synthetic entries up to `total`, parsed in memory (no files).
pub fn sources(total: usize, seed: u64, shipped_dir: &Path) -> Sources {
    let mut sources = knowledge::read_dir(shipped_dir).expect("the shipped knowledge reads");
    let entries = generate(total, seed, &sources);
    add_to(&mut sources, &entries, Path::new("synthetic"));
    sources
}

/// Writes the shipped knowledge (copied as it is) and `entries` into `dir`, one file an entry
/// in a folder per kind, as the bot reads them. `dir` must not exist or be empty.
pub fn write_dir(shipped_dir: Option<&Path>, entries: &[Entry], dir: &Path) -> std::io::Result<()> {
    for kind in Kind::ALL {
        std::fs::create_dir_all(dir.join(kind.folder()))?;
    }
    if let Some(shipped) = shipped_dir {
        for kind in Kind::ALL {
            for file in std::fs::read_dir(shipped.join(kind.folder()))? {
                let file = file?.path();
                if file.extension().is_some_and(|e| e == "yaml") {
                    let name = file.file_name().expect("a file name");
                    std::fs::copy(&file, dir.join(kind.folder()).join(name))?;
                }
            }
        }
    }
    for entry in entries {
        let file: PathBuf = dir
            .join(entry.kind.folder())
            .join(format!("{}.yaml", entry.id));
        std::fs::write(file, &entry.yaml)?;
    }
    Ok(())
}

/// `name` as someone might mistype it: one or two slips (a dropped, doubled, swapped or
/// neighbouring-key letter) in words of four letters or more. Names too short to slip are
/// returned as they are.
pub fn typo(name: &str, rng: &mut Rng) -> String {
    let mut chars: Vec<char> = name.chars().collect();
    let slips = 1 + usize::from(rng.percent(25) && chars.len() >= 12);
    for _ in 0..slips {
        // Positions inside words of at least four letters, not their first letter: people get
        // the start of a name right far more often than the rest.
        let mut positions = Vec::new();
        let mut start = 0;
        for i in 0..=chars.len() {
            if i == chars.len() || !chars[i].is_alphabetic() {
                if i - start >= 4 {
                    positions.extend(start + 1..i);
                }
                start = i + 1;
            }
        }
        if positions.is_empty() {
            break;
        }
        let at = *rng.pick(&positions);
        match rng.below(4) {
            0 => {
                chars.remove(at);
            }
            1 => chars.insert(at, chars[at]),
            2 if at + 1 < chars.len() && chars[at + 1].is_alphabetic() => chars.swap(at, at + 1),
            _ => {
                let lower = chars[at].to_ascii_lowercase();
                if let Some(near) = qwerty_neighbour(lower, rng) {
                    chars[at] = near;
                } else {
                    chars.remove(at);
                }
            }
        }
    }
    chars.into_iter().collect()
}

fn qwerty_neighbour(c: char, rng: &mut Rng) -> Option<char> {
    const ROWS: [&str; 3] = ["qwertyuiop", "asdfghjkl", "zxcvbnm"];
    for row in ROWS {
        if let Some(i) = row.find(c) {
            let row: Vec<char> = row.chars().collect();
            let left = i.checked_sub(1).map(|j| row[j]);
            let right = row.get(i + 1).copied();
            return match (left, right) {
                (Some(l), Some(r)) => Some(if rng.percent(50) { l } else { r }),
                (l, r) => l.or(r),
            };
        }
    }
    None
}

// ---------------------------------------------------------------------------------------------
// Vocabulary. Common words first: `Rng::skewed` picks them more often, so titles share words
// the way real ones do ("night", "dark", "last").

const ADJECTIVES: &[&str] = &[
    "Last",
    "Dark",
    "Silent",
    "Long",
    "Lost",
    "Black",
    "Golden",
    "Secret",
    "Hidden",
    "Broken",
    "Wild",
    "Red",
    "White",
    "Blue",
    "Cold",
    "Little",
    "Great",
    "Distant",
    "Burning",
    "Empty",
    "Eternal",
    "Final",
    "First",
    "Forgotten",
    "Frozen",
    "Gentle",
    "Glass",
    "Grey",
    "Hollow",
    "Holy",
    "Invisible",
    "Iron",
    "Lonely",
    "Midnight",
    "Narrow",
    "Northern",
    "Old",
    "Pale",
    "Quiet",
    "Restless",
    "Savage",
    "Scarlet",
    "Shining",
    "Southern",
    "Stolen",
    "Strange",
    "Summer",
    "Sweet",
    "Twisted",
    "Violent",
    "Wandering",
    "Winter",
    "Wooden",
    "Young",
    "Amber",
    "Ancient",
    "Bitter",
    "Blind",
    "Brave",
    "Bright",
    "Copper",
    "Crimson",
    "Crooked",
    "Deep",
    "Desert",
    "Dying",
    "Electric",
    "Endless",
    "Fallen",
    "Fragile",
    "Furious",
    "Gilded",
    "Haunted",
    "Heavy",
    "High",
    "Hungry",
    "Imperial",
    "Jade",
    "Kind",
    "Lucky",
    "Marble",
    "Merciful",
    "Mortal",
    "Naked",
    "Noble",
    "Obscure",
    "Painted",
    "Perfect",
    "Proud",
    "Radiant",
    "Rusted",
    "Sacred",
    "Salt",
    "Shattered",
    "Silver",
    "Sleeping",
    "Slow",
    "Small",
    "Solitary",
    "Stone",
    "Sudden",
    "Sunken",
    "Tender",
    "Thin",
    "Tired",
    "Troubled",
    "Velvet",
    "Violet",
    "Waking",
    "Weeping",
    "Whispering",
    "Willing",
    "Yellow",
    "Absent",
    "Borrowed",
    "Careless",
    "Clockwork",
    "Coastal",
    "Cursed",
    "Drowned",
    "Faithful",
    "Foreign",
    "Grand",
    "Harsh",
    "Humble",
    "Idle",
    "Jealous",
    "Luminous",
    "Mechanical",
    "Modern",
    "Nameless",
    "Northbound",
    "Ordinary",
    "Phantom",
    "Polar",
    "Precious",
    "Reckless",
    "Rising",
    "Royal",
    "Secondhand",
    "Sleepless",
    "Spanish",
    "Tall",
    "Unfinished",
    "Vanishing",
    "Weightless",
];

const NOUNS: &[&str] = &[
    "Night",
    "City",
    "Road",
    "River",
    "House",
    "Heart",
    "Sky",
    "Sea",
    "Star",
    "Storm",
    "Garden",
    "Shadow",
    "Light",
    "Fire",
    "Rain",
    "Wind",
    "Horizon",
    "Harbour",
    "Island",
    "Mountain",
    "Winter",
    "Summer",
    "Dream",
    "Kingdom",
    "Empire",
    "Machine",
    "Ghost",
    "Stranger",
    "Hunter",
    "Soldier",
    "Dancer",
    "Singer",
    "Thief",
    "Queen",
    "King",
    "Prince",
    "Widow",
    "Orphan",
    "Detective",
    "Pilgrim",
    "Sailor",
    "Witness",
    "Angel",
    "Wolf",
    "Fox",
    "Raven",
    "Tiger",
    "Horse",
    "Whale",
    "Sparrow",
    "Lantern",
    "Mirror",
    "Clock",
    "Bridge",
    "Tower",
    "Train",
    "Station",
    "Letter",
    "Promise",
    "Secret",
    "Silence",
    "Echo",
    "Song",
    "Ballad",
    "Waltz",
    "Requiem",
    "Lullaby",
    "Symphony",
    "Melody",
    "Voyage",
    "Journey",
    "Return",
    "Escape",
    "Crossing",
    "Frontier",
    "Border",
    "Valley",
    "Desert",
    "Forest",
    "Field",
    "Lake",
    "Shore",
    "Cathedral",
    "Palace",
    "Hotel",
    "Circus",
    "Theatre",
    "Carnival",
    "Festival",
    "Wedding",
    "Funeral",
    "Harvest",
    "Season",
    "Morning",
    "Evening",
    "Dawn",
    "Dusk",
    "Moon",
    "Sun",
    "Comet",
    "Planet",
    "Galaxy",
    "Ocean",
    "Tide",
    "Wave",
    "Reef",
    "Glacier",
    "Volcano",
    "Canyon",
    "Meadow",
    "Orchard",
    "Vineyard",
    "Lighthouse",
    "Observatory",
    "Laboratory",
    "Factory",
    "Foundry",
    "Mine",
    "Quarry",
    "Harp",
    "Violin",
    "Piano",
    "Trumpet",
    "Drum",
    "Bell",
    "Organ",
    "Choir",
    "Orchestra",
    "Conductor",
    "Composer",
    "Painter",
    "Poet",
    "Gambler",
    "Smuggler",
    "Spy",
    "Assassin",
    "Gunfighter",
    "Sheriff",
    "Outlaw",
    "Samurai",
    "Knight",
    "Pirate",
    "Admiral",
    "General",
    "Emperor",
    "Saint",
    "Sinner",
    "Prophet",
    "Witch",
    "Giant",
    "Dragon",
    "Serpent",
    "Phoenix",
    "Unicorn",
    "Minotaur",
    "Labyrinth",
    "Maze",
    "Key",
    "Door",
    "Window",
    "Staircase",
    "Attic",
    "Cellar",
    "Tunnel",
    "Well",
    "Fountain",
    "Statue",
    "Portrait",
    "Map",
    "Compass",
    "Anchor",
    "Sail",
    "Rope",
    "Sword",
    "Crown",
    "Ring",
    "Necklace",
    "Feather",
    "Rose",
    "Lily",
    "Orchid",
    "Willow",
    "Oak",
    "Cedar",
    "Birch",
    "Ash",
    "Ember",
    "Smoke",
    "Dust",
    "Snow",
    "Frost",
    "Thunder",
    "Lightning",
    "Hurricane",
    "Monsoon",
    "Eclipse",
    "Aurora",
    "Threshold",
    "Inheritance",
    "Confession",
    "Betrayal",
    "Reckoning",
    "Redemption",
    "Vengeance",
    "Mercy",
    "Grace",
    "Glory",
    "Honour",
    "Fortune",
    "Destiny",
    "Paradise",
    "Purgatory",
    "Exile",
    "Homecoming",
    "Farewell",
    "Reunion",
    "Interlude",
    "Overture",
    "Coda",
];

const PLACES: &[&str] = &[
    "Vienna",
    "Paris",
    "Berlin",
    "Lisbon",
    "Havana",
    "Cairo",
    "Tangier",
    "Istanbul",
    "Venice",
    "Naples",
    "Palermo",
    "Seville",
    "Kraków",
    "Prague",
    "Budapest",
    "Trieste",
    "Marseille",
    "Shanghai",
    "Kyoto",
    "Osaka",
    "Seoul",
    "Mumbai",
    "Calcutta",
    "Lagos",
    "Nairobi",
    "Dakar",
    "Valparaíso",
    "Montevideo",
    "Buenos Aires",
    "São Paulo",
    "Bogotá",
    "Oaxaca",
    "Tijuana",
    "Reykjavík",
    "Tromsø",
    "Gdańsk",
    "Odessa",
    "Tbilisi",
    "Samarkand",
    "Kabul",
    "Lahore",
    "Saigon",
    "Manila",
    "Jakarta",
    "Sydney",
    "Auckland",
    "Anchorage",
    "Montreal",
    "Quebec",
    "Chicago",
    "Detroit",
    "Memphis",
    "New Orleans",
    "Santa Fe",
    "Tucson",
    "Reno",
    "Boston",
    "Brooklyn",
    "Harlem",
    "Baltimore",
    "Galveston",
    "Yukon",
    "Patagonia",
    "Provence",
    "Tuscany",
    "Andalusia",
    "Bavaria",
    "Transylvania",
    "Siberia",
    "Manchuria",
    "Tasmania",
    "Zanzibar",
    "Timbuktu",
    "Casablanca Road",
    "the North",
    "the Border",
    "the Delta",
    "the Valley",
    "the Steppe",
    "the Marsh",
    "the Coast",
    "the Highlands",
    "Dublin",
    "Belfast",
    "Glasgow",
    "Cardiff",
    "Liverpool",
    "Brighton",
    "Antwerp",
    "Rotterdam",
    "Hamburg",
    "Zürich",
    "Salzburg",
    "Ljubljana",
    "Sarajevo",
    "Thessaloniki",
    "Smyrna",
    "Beirut",
    "Jerusalem",
    "Damascus",
    "Baghdad",
    "Tehran",
    "Isfahan",
];

const GERUNDS: &[&str] = &[
    "Chasing",
    "Waiting for",
    "Finding",
    "Leaving",
    "Remembering",
    "Burning",
    "Crossing",
    "Saving",
    "Hunting",
    "Killing",
    "Loving",
    "Dancing with",
    "Sleeping with",
    "Running from",
    "Searching for",
    "Becoming",
    "Breaking",
    "Catching",
    "Dreaming of",
    "Escaping",
    "Following",
    "Forgetting",
    "Keeping",
    "Losing",
    "Meeting",
    "Raising",
    "Stealing",
    "Touching",
    "Watching",
    "Writing",
];

const FIRST_NAMES: &[&str] = &[
    "John",
    "Anna",
    "Michael",
    "Maria",
    "David",
    "Sarah",
    "James",
    "Elena",
    "Thomas",
    "Laura",
    "Peter",
    "Sofia",
    "Robert",
    "Julia",
    "Daniel",
    "Clara",
    "Paul",
    "Emma",
    "Mark",
    "Lucia",
    "Richard",
    "Hannah",
    "Stefan",
    "Ingrid",
    "Jean",
    "Marie",
    "Pierre",
    "Camille",
    "Luca",
    "Giulia",
    "Marco",
    "Francesca",
    "Hans",
    "Greta",
    "Klaus",
    "Heike",
    "Jürgen",
    "Björn",
    "Åsa",
    "Søren",
    "Mette",
    "Jóhann",
    "Hildur",
    "Sigrid",
    "Lars",
    "Astrid",
    "Mikko",
    "Aino",
    "Jiří",
    "Zdeněk",
    "Małgorzata",
    "Krzysztof",
    "Wojciech",
    "Zbigniew",
    "Agnieszka",
    "László",
    "Zsófia",
    "Dmitri",
    "Natalia",
    "Sergei",
    "Olga",
    "Mikhail",
    "Yuri",
    "Tatiana",
    "Alexei",
    "José",
    "Carmen",
    "Joaquín",
    "Inés",
    "Gonzalo",
    "Pilar",
    "João",
    "Conceição",
    "Tomás",
    "Zoë",
    "Chloé",
    "Noël",
    "Renée",
    "François",
    "Hélène",
    "Andrés",
    "Ramón",
    "Beatriz",
    "Ryuichi",
    "Yoko",
    "Hiroshi",
    "Keiko",
    "Takeshi",
    "Mei",
    "Wei",
    "Li",
    "Jun",
    "Min-ji",
    "Seo-yeon",
    "Arjun",
    "Priya",
    "Ravi",
    "Ananya",
    "Vikram",
    "Kwame",
    "Amara",
    "Chidi",
    "Ngozi",
    "Tunde",
    "Fatima",
    "Omar",
    "Leila",
    "Yusuf",
    "Nadia",
    "Cyrus",
    "Shirin",
    "Avi",
    "Tamar",
    "Ezra",
    "Miriam",
    "Patrick",
    "Siobhan",
    "Declan",
    "Niamh",
    "Rhys",
    "Carys",
    "Angus",
    "Fiona",
    "Walter",
    "Edith",
    "Harold",
    "Dorothy",
    "Arthur",
    "Florence",
    "Ernest",
    "Mabel",
    "Howard",
    "Ruth",
    "Leonard",
    "Esther",
    "Samuel",
    "Alice",
    "Henry",
    "Grace",
    "Oliver",
    "Isla",
    "Max",
    "Lena",
    "Felix",
    "Mila",
    "Oscar",
    "Nora",
    "Hugo",
    "Vera",
    "Emil",
    "Ida",
    "Carl",
    "Elsa",
    "Victor",
    "Iris",
    "Julian",
    "Stella",
    "Adrian",
    "Diana",
    "Simon",
    "Ada",
    "Nicholas",
    "Rachel",
    "Terence",
    "Wendy",
    "Jonny",
    "Mica",
    "Basil",
    "Dimitri",
];

const SURNAMES: &[&str] = &[
    "Smith",
    "Müller",
    "Rossi",
    "García",
    "Novak",
    "Kowalski",
    "Nielsen",
    "Johansson",
    "Lindqvist",
    "Bergström",
    "Andersen",
    "Sørensen",
    "Virtanen",
    "Korhonen",
    "Dvořák",
    "Novotný",
    "Szabó",
    "Horváth",
    "Nagy",
    "Ivanov",
    "Petrov",
    "Sokolov",
    "Volkov",
    "Popescu",
    "Ionescu",
    "Papadopoulos",
    "Georgiou",
    "Yılmaz",
    "Öztürk",
    "Kaya",
    "Cohen",
    "Levi",
    "Friedman",
    "Katz",
    "Rosenberg",
    "Goldberg",
    "Schwartz",
    "Weiss",
    "Fischer",
    "Weber",
    "Wagner",
    "Becker",
    "Hoffmann",
    "Schäfer",
    "Koch",
    "Richter",
    "Klein",
    "Wolf",
    "Schröder",
    "Neumann",
    "Zimmermann",
    "Braun",
    "Krüger",
    "Hartmann",
    "Lange",
    "Werner",
    "Krause",
    "Lehmann",
    "Köhler",
    "Maier",
    "Huber",
    "Bauer",
    "Moreau",
    "Laurent",
    "Lefèvre",
    "Girard",
    "Bonnet",
    "Dupont",
    "Lambert",
    "Fontaine",
    "Rousseau",
    "Vincent",
    "Mercier",
    "Boyer",
    "Chevalier",
    "Lemoine",
    "Dubois",
    "Bianchi",
    "Romano",
    "Colombo",
    "Ricci",
    "Marino",
    "Greco",
    "Bruno",
    "Gallo",
    "Conti",
    "De Luca",
    "Mancini",
    "Costa",
    "Giordano",
    "Rizzo",
    "Lombardi",
    "Moretti",
    "Barbieri",
    "Fontana",
    "Santoro",
    "Mariani",
    "Rinaldi",
    "Caruso",
    "Ferrara",
    "Galli",
    "Martini",
    "Leone",
    "Longo",
    "Gentile",
    "Martinelli",
    "Vitale",
    "Fernández",
    "López",
    "Martínez",
    "Sánchez",
    "Pérez",
    "Gómez",
    "Díaz",
    "Álvarez",
    "Moreno",
    "Muñoz",
    "Romero",
    "Alonso",
    "Gutiérrez",
    "Navarro",
    "Torres",
    "Domínguez",
    "Vázquez",
    "Ramos",
    "Gil",
    "Serrano",
    "Blanco",
    "Molina",
    "Castro",
    "Ortega",
    "Rubio",
    "Sanz",
    "Iglesias",
    "Nuñez",
    "Medina",
    "Garrido",
    "Santos",
    "Oliveira",
    "Pereira",
    "Ferreira",
    "Rodrigues",
    "Almeida",
    "Carvalho",
    "Gonçalves",
    "Ribeiro",
    "Tanaka",
    "Suzuki",
    "Takahashi",
    "Watanabe",
    "Yamamoto",
    "Nakamura",
    "Kobayashi",
    "Kato",
    "Yoshida",
    "Yamada",
    "Sasaki",
    "Matsumoto",
    "Inoue",
    "Kimura",
    "Hayashi",
    "Shimizu",
    "Wang",
    "Zhang",
    "Liu",
    "Chen",
    "Yang",
    "Huang",
    "Zhao",
    "Wu",
    "Zhou",
    "Xu",
    "Kim",
    "Park",
    "Choi",
    "Jung",
    "Kang",
    "Cho",
    "Yoon",
    "Jang",
    "Lim",
    "Sharma",
    "Verma",
    "Gupta",
    "Singh",
    "Kumar",
    "Patel",
    "Reddy",
    "Iyer",
    "Menon",
    "Nair",
    "Mukherjee",
    "Banerjee",
    "Chatterjee",
    "Okafor",
    "Adeyemi",
    "Mensah",
    "Owusu",
    "Diallo",
    "Traoré",
    "Keita",
    "Haddad",
    "Khoury",
    "Nasser",
    "Farouk",
    "Rahimi",
    "Hosseini",
    "O'Brien",
    "O'Connor",
    "O'Sullivan",
    "McCarthy",
    "Murphy",
    "Kelly",
    "Walsh",
    "Byrne",
    "Ryan",
    "Doyle",
    "MacLeod",
    "Campbell",
    "Stewart",
    "Robertson",
    "Morrison",
    "Fraser",
    "Hughes",
    "Evans",
    "Davies",
    "Thomas",
    "Jones",
    "Williams",
    "Brown",
    "Taylor",
    "Wilson",
    "Johnson",
    "Anderson",
    "Clark",
    "Lewis",
    "Walker",
    "Hall",
    "Young",
    "Allen",
    "Wright",
    "Scott",
    "Green",
    "Baker",
    "Adams",
    "Nelson",
    "Hill",
    "Mitchell",
    "Carter",
    "Roberts",
    "Turner",
    "Phillips",
    "Parker",
    "Collins",
    "Edwards",
    "Morris",
    "Cook",
    "Rogers",
    "Reed",
    "Bell",
    "Ward",
    "Cooper",
    "Richardson",
    "Cox",
    "Howard",
    "Foster",
    "Bennett",
    "Gray",
    "Hayes",
    "Sullivan",
    "Russell",
    "Griffin",
    "Hunt",
    "Black",
    "Stone",
    "Hawthorne",
    "Ashworth",
    "Whitfield",
    "Blackwood",
    "Thornton",
    "Harrington",
    "Pemberton",
    "Fairbanks",
    "Kingsley",
    "Lockwood",
    "Winterbottom",
    "Greenwood",
    "Holloway",
    "Marlowe",
    "Sinclair",
    "Vance",
    "Sterling",
    "Castellanos",
    "Villanueva",
    "Echeverría",
    "Guðmundsson",
    "Sigurðardóttir",
    "Þórsson",
    "Łukasiewicz",
    "Wiśniewski",
    "Szymański",
    "Mazur",
];

const INSTRUMENTS: &[&str] = &[
    "strings",
    "solo piano",
    "a small string orchestra",
    "brass and timpani",
    "synthesizers",
    "a full symphony orchestra",
    "solo cello",
    "prepared piano",
    "guitar and harmonica",
    "a wordless choir",
    "woodwinds",
    "an orchestra of low strings",
    "electric guitar",
    "a chamber ensemble",
    "percussion alone",
    "the theremin",
    "a jazz quintet",
    "harp and celesta",
    "bandoneón",
    "a pipe organ",
    "duduk and strings",
    "a boys' choir",
    "detuned upright piano",
];

const MOODS: &[&str] = &[
    "restless",
    "melancholy",
    "tender",
    "menacing",
    "playful",
    "elegiac",
    "propulsive",
    "dreamlike",
    "austere",
    "lush",
    "brooding",
    "triumphant",
    "nervous",
    "hymn-like",
    "bittersweet",
    "hypnotic",
    "brittle",
    "sweeping",
];

const TERM_MODIFIERS: &[&str] = &[
    "modal",
    "chromatic",
    "diatonic",
    "descending",
    "ascending",
    "suspended",
    "parallel",
    "contrary",
    "muted",
    "layered",
    "aleatoric",
    "serial",
    "tonal",
    "atonal",
    "polytonal",
    "microtonal",
    "minimalist",
    "pastoral",
    "martial",
    "romantic",
    "baroque",
    "neoclassical",
    "electronic",
    "ambient",
    "percussive",
    "lyrical",
    "dramatic",
    "comic",
    "tragic",
    "heroic",
    "tense",
    "ironic",
    "diegetic",
    "ghost",
    "broken",
    "false",
    "hidden",
    "implied",
    "inverted",
    "retrograde",
    "augmented",
    "diminished",
    "sustained",
    "staccato",
    "legato",
    "pizzicato",
    "tremolo",
    "harmonic",
    "melodic",
    "rhythmic",
    "contrapuntal",
    "canonic",
    "fugal",
    "cyclic",
    "recurring",
    "stinger",
    "transitional",
    "bridging",
    "source",
    "temp",
    "main",
    "secondary",
    "rising",
    "falling",
    "cross",
    "split",
    "mirror",
    "echo",
    "shadow",
    "pedal",
    "drone",
    "click",
    "sync",
    "free",
    "rubato",
    "vamp",
    "hook",
    "loop",
    "cluster",
    "whole-tone",
];

const TERM_NOUNS: &[&str] = &[
    "cadence",
    "motif",
    "cue",
    "theme",
    "ostinato",
    "chord",
    "progression",
    "interval",
    "phrase",
    "figure",
    "pedal",
    "drone",
    "stinger",
    "fanfare",
    "sting",
    "transition",
    "bridge",
    "segue",
    "reprise",
    "variation",
    "texture",
    "voicing",
    "orchestration",
    "counterpoint",
    "harmony",
    "scale",
    "mode",
    "tempo",
    "meter",
    "rhythm",
    "pulse",
    "accent",
    "swell",
    "crescendo",
    "diminuendo",
    "fermata",
    "glissando",
    "trill",
    "arpeggio",
    "cluster",
    "tremolo",
    "sequence",
    "canon",
    "round",
    "chorale",
    "hymn",
    "lament",
    "march",
    "waltz",
    "nocturne",
    "lullaby",
    "dirge",
    "elegy",
    "requiem",
    "prelude",
    "postlude",
    "interlude",
    "overture",
    "suite",
    "medley",
    "montage cue",
    "underscore",
    "source cue",
    "click track",
    "tempo map",
    "hit point",
    "spotting note",
    "temp track",
    "mockup",
    "sketch",
    "stem",
    "mix",
    "session",
    "take",
    "overdub",
    "playback",
    "pre-record",
];

/// Emits generated entries, remembering every name and id used so nothing repeats.
struct Generator {
    rng: Rng,
    ids: HashSet<String>,
    film_names: HashSet<String>,
    composer_names: HashSet<String>,
    term_names: HashSet<String>,
}

/// A composer chosen before the films, so films can credit them.
struct Person {
    id: String,
    name: String,
    born: u16,
}

impl Generator {
    fn new(seed: u64, shipped: &Sources) -> Generator {
        let mut g = Generator {
            rng: Rng::new(seed),
            ids: HashSet::new(),
            film_names: HashSet::new(),
            composer_names: HashSet::new(),
            term_names: HashSet::new(),
        };
        for (id, _, film) in &shipped.films {
            g.ids.insert(id.clone());
            for name in std::iter::once(&film.title).chain(&film.aliases) {
                g.film_names.insert(text::fold(&name.value));
            }
        }
        for (id, _, composer) in &shipped.composers {
            g.ids.insert(id.clone());
            for name in std::iter::once(&composer.name).chain(&composer.aliases) {
                g.composer_names.insert(text::fold(&name.value));
            }
        }
        for (id, _, term) in &shipped.terms {
            g.ids.insert(id.clone());
            for name in std::iter::once(&term.term).chain(&term.aliases) {
                g.term_names.insert(text::fold(&name.value));
            }
        }
        g
    }

    fn run(&mut self, films: usize, composers: usize, terms: usize) -> Vec<Entry> {
        let people: Vec<Person> = (0..composers).map(|_| self.composer_person()).collect();
        let mut entries = Vec::with_capacity(films + composers + terms);
        let mut credits: Vec<Vec<(String, u16)>> = vec![Vec::new(); people.len()];
        let mut film_ids = Vec::with_capacity(films);
        for _ in 0..films {
            let (entry, year, credited) = self.film(&people);
            for c in credited {
                credits[c].push((entry.name.clone(), year));
            }
            film_ids.push(entry.id.clone());
            entries.push(entry);
        }
        for (person, credited) in people.iter().zip(&credits) {
            entries.push(self.composer(person, credited));
        }
        let mut term_ids: Vec<String> = Vec::with_capacity(terms);
        for _ in 0..terms {
            let entry = self.term(&term_ids, &film_ids);
            term_ids.push(entry.id.clone());
            entries.push(entry);
        }
        entries
    }

    /// A new id from `name`: its folded words joined by hyphens, within the id length limit,
    /// with a number added when taken.
    fn id_for(&mut self, name: &str, year: Option<u16>) -> String {
        let folded = text::fold(name);
        let mut base = String::new();
        for word in folded.split(' ') {
            if base.len() + word.len() + 1 > 50 {
                break;
            }
            if !base.is_empty() {
                base.push('-');
            }
            base.push_str(word);
        }
        if base.is_empty() {
            base.push_str("entry");
        }
        let mut candidates = Vec::new();
        candidates.push(base.clone());
        if let Some(year) = year {
            candidates.push(format!("{base}-{year}"));
        }
        for candidate in candidates {
            if self.ids.insert(candidate.clone()) {
                return candidate;
            }
        }
        (2..)
            .map(|n| format!("{base}-{n}"))
            .find(|c| self.ids.insert(c.clone()))
            .expect("some number is free")
    }

    fn person_name(&mut self) -> String {
        let first = *self.rng.skewed(FIRST_NAMES);
        let last = *self.rng.skewed(SURNAMES);
        match self.rng.below(20) {
            0 => {
                let middle = self.rng.pick(FIRST_NAMES).chars().next().unwrap_or('A');
                format!("{first} {middle}. {last}")
            }
            1 => {
                let second = *self.rng.pick(SURNAMES);
                format!("{first} {last}-{second}")
            }
            2 => {
                let second = *self.rng.pick(FIRST_NAMES);
                format!("{first} {second} {last}")
            }
            _ => format!("{first} {last}"),
        }
    }

    fn composer_person(&mut self) -> Person {
        let name = loop {
            let name = self.person_name();
            if self.composer_names.insert(text::fold(&name)) {
                break name;
            }
        };
        let born = 1880 + self.rng.below(115) as u16;
        let id = self.id_for(&name, None);
        Person { id, name, born }
    }

    fn title(&mut self) -> String {
        let r = &mut self.rng;
        match r.below(16) {
            0..=3 => format!("The {} {}", r.skewed(ADJECTIVES), r.skewed(NOUNS)),
            4 | 5 => format!(
                "{} of the {} {}",
                r.skewed(NOUNS),
                r.skewed(ADJECTIVES),
                r.skewed(NOUNS)
            ),
            6 => format!("{} in {}", r.skewed(NOUNS), r.skewed(PLACES)),
            7 => format!("The {} of {}", r.skewed(NOUNS), r.skewed(PLACES)),
            8 => format!("{}'s {}", r.pick(FIRST_NAMES), r.skewed(NOUNS)),
            9 => format!("{} the {}", r.pick(GERUNDS), r.skewed(NOUNS)),
            10 => format!("A {} for {}", r.skewed(NOUNS), r.pick(FIRST_NAMES)),
            11 => format!("{} {}", r.skewed(ADJECTIVES), r.skewed(NOUNS)),
            12 => format!("The {} and the {}", r.skewed(NOUNS), r.skewed(NOUNS)),
            13 => format!(
                "{} {}: {} of the {}",
                r.skewed(ADJECTIVES),
                r.skewed(NOUNS),
                r.pick(&["Return", "Rise", "Fall", "Song", "Night", "Last Days"]),
                r.skewed(NOUNS)
            ),
            14 => format!("{} {}", r.pick(PLACES), r.skewed(NOUNS)),
            _ => format!(
                "When the {} {}",
                r.skewed(NOUNS),
                r.pick(&[
                    "Falls", "Sleeps", "Burns", "Sings", "Returns", "Breaks", "Wakes"
                ])
            ),
        }
    }

    /// A film: the entry, its year, and which of `people` it credits.
    fn film(&mut self, people: &[Person]) -> (Entry, u16, Vec<usize>) {
        let mut title = loop {
            let title = self.title();
            if self.film_names.insert(text::fold(&title)) {
                break title;
            }
        };
        let year = 1930 + self.rng.below(96) as u16;
        let mut aliases = Vec::new();
        // A sequel now and then: "The Iron Fox 2", known as "Iron Fox 2" as well.
        if self.rng.percent(4) {
            let sequel = format!("{title} {}", 2 + self.rng.below(3));
            if self.film_names.insert(text::fold(&sequel)) {
                self.film_names.remove(&text::fold(&title));
                title = sequel;
            }
        }
        if self.rng.percent(30) {
            let alias = match self.rng.below(3) {
                // The acronym fans use ("TDK", "LOTR").
                0 => title
                    .split([' ', ':', '-'])
                    .filter_map(|w| w.chars().next())
                    .filter(|c| c.is_alphanumeric())
                    .collect::<String>()
                    .to_uppercase(),
                // The title before its subtitle, or without its article.
                1 => match title.split_once(':') {
                    Some((head, _)) => head.trim().to_string(),
                    None => text::strip_article(&title.to_lowercase()).to_string(),
                },
                // The original-language title.
                _ => format!(
                    "{} {}",
                    self.rng.pick(&[
                        "La notte del",
                        "Le dernier",
                        "Der letzte",
                        "El último",
                        "Il segreto del",
                        "La balada del"
                    ]),
                    self.rng.pick(&[
                        "lupo", "fleuve", "Sommer", "tren", "mare", "viento", "Winter", "jardin"
                    ]),
                ),
            };
            let key = text::fold(&alias);
            if key.len() >= 2 && key != text::fold(&title) && self.film_names.insert(key) {
                aliases.push(alias);
            }
        }
        let id = self.id_for(&title, Some(year));
        let music = match self.rng.below(100) {
            0..=6 => "compiled-soundtrack",
            7..=19 => "both",
            _ => "original-score",
        };
        let mut credited = Vec::new();
        if music != "compiled-soundtrack" && !people.is_empty() {
            // Some composers score far more films than others.
            let count = 1 + usize::from(self.rng.percent(12));
            for _ in 0..count {
                let u = (self.rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
                let c = ((u * u * u) * people.len() as f64) as usize;
                if !credited.contains(&c) {
                    credited.push(c);
                }
            }
        }
        let directors: Vec<String> = (0..1 + usize::from(self.rng.percent(10)))
            .map(|_| self.person_name())
            .collect();

        let mut y = String::with_capacity(1500);
        y.push_str("# yaml-language-server: $schema=../schema/film.schema.json\n");
        let _ = writeln!(y, "title: {}", quote(&title));
        let _ = writeln!(y, "year: {year}");
        let _ = writeln!(y, "directors: {}", flow(&directors));
        let ids: Vec<String> = credited.iter().map(|&c| people[c].id.clone()).collect();
        let _ = writeln!(y, "composers: [{}]", ids.join(", "));
        let _ = writeln!(y, "music: {music}");
        let composer = credited
            .first()
            .map_or("The compiler".to_string(), |&c| people[c].name.clone());
        let summary = self.summary(&composer, &title);
        let _ = writeln!(y, "summary: {}", quote(&summary));
        if !aliases.is_empty() {
            let _ = writeln!(y, "aliases: {}", flow(&aliases));
        }
        let cues = self.rng.below(4);
        if cues > 0 {
            y.push_str("cues:\n");
            for i in 0..cues {
                let cue = match i {
                    0 => "Main Title".to_string(),
                    _ => format!("The {}", self.rng.skewed(NOUNS)),
                };
                let _ = writeln!(y, "  - title: {}", quote(&cue));
                if self.rng.percent(60) {
                    let note = format!(
                        "A {} cue for {}.",
                        self.rng.pick(MOODS),
                        self.rng.pick(INSTRUMENTS)
                    );
                    let _ = writeln!(y, "    note: {}", quote(&note));
                }
            }
        }
        if music != "original-score" {
            y.push_str("songs:\n");
            for _ in 0..1 + self.rng.below(5) {
                let song = format!("{} {}", self.rng.skewed(ADJECTIVES), self.rng.skewed(NOUNS));
                let performer = if self.rng.percent(50) {
                    self.person_name()
                } else {
                    format!(
                        "The {} {}s",
                        self.rng.pick(ADJECTIVES),
                        self.rng.pick(NOUNS)
                    )
                };
                let _ = writeln!(y, "  - title: {}", quote(&song));
                let _ = writeln!(y, "    performer: {}", quote(&performer));
            }
        }
        if !credited.is_empty() && self.rng.percent(8) {
            y.push_str("awards:\n");
            y.push_str("  - award: Academy Award for Best Original Score\n");
            let _ = writeln!(y, "    year: {}", (year + 1).min(knowledge::LATEST_YEAR));
            let result = if self.rng.percent(30) {
                "won"
            } else {
                "nominated"
            };
            let _ = writeln!(y, "    result: {result}");
        }
        y.push_str("sources:\n");
        let _ = writeln!(y, "  - {}", wiki_url(&title));
        let entry = Entry {
            kind: Kind::Film,
            id,
            yaml: y,
            name: title,
        };
        (entry, year, credited)
    }

    fn summary(&mut self, composer: &str, title: &str) -> String {
        let r = &mut self.rng;
        let mut s = format!(
            "{composer} scored {title} for {}, a {} sound that follows the story closely.",
            r.pick(INSTRUMENTS),
            r.pick(MOODS)
        );
        let _ = write!(
            s,
            " The main theme, first heard over the opening titles, returns in a {} form for the {} scene.",
            r.pick(MOODS),
            r.skewed(NOUNS).to_lowercase()
        );
        if r.percent(60) {
            let _ = write!(
                s,
                " The album was reissued with previously unreleased cues, including a {} suite.",
                r.pick(MOODS)
            );
        }
        s
    }

    fn composer(&mut self, person: &Person, credited: &[(String, u16)]) -> Entry {
        let mut y = String::with_capacity(1200);
        y.push_str("# yaml-language-server: $schema=../schema/composer.schema.json\n");
        let _ = writeln!(y, "name: {}", quote(&person.name));
        let _ = writeln!(y, "born: {}", person.born);
        if person.born < 1950 && self.rng.percent(70) {
            let died = (person.born + 50 + self.rng.below(45) as u16).min(2025);
            let _ = writeln!(y, "died: {died}");
        }
        if self.rng.percent(12) {
            // A short form people use ("Morricone" style surnames are found without aliases).
            let alias = match person.name.split_once(' ') {
                Some((first, rest)) => format!("{}. {rest}", first.chars().next().unwrap_or('A')),
                None => format!("{} Jr.", person.name),
            };
            if self.composer_names.insert(text::fold(&alias)) {
                let _ = writeln!(y, "aliases: {}", flow(&[alias]));
            }
        }
        let known_for = credited
            .first()
            .map_or_else(|| "concert music".to_string(), |(t, _)| t.clone());
        let bio = format!(
            "{} composer born in {}, best known for {}. Trained as a {} player, {} moved to film in {} and wrote {} scores for {}. The music is often {} and built on {}.",
            self.rng.pick(&[
                "An Austrian",
                "A Brazilian",
                "A British",
                "A Danish",
                "A Japanese",
                "An Italian",
                "A Nigerian",
                "A Polish",
                "An American",
                "A Korean",
                "An Indian",
                "A French"
            ]),
            person.born,
            known_for,
            self.rng
                .pick(&["piano", "violin", "cello", "guitar", "trumpet", "organ"]),
            person.name,
            (person.born + 25).min(2025),
            self.rng.pick(&[
                "dozens of",
                "a handful of",
                "more than forty",
                "about twenty"
            ]),
            self.rng.pick(&[
                "thrillers",
                "westerns",
                "dramas",
                "animated films",
                "documentaries",
                "science fiction"
            ]),
            self.rng.pick(MOODS),
            self.rng.pick(INSTRUMENTS),
        );
        let _ = writeln!(y, "bio: {}", quote(&bio));
        let others = self.rng.below(4);
        if others > 0 {
            y.push_str("other_scores:\n");
            for _ in 0..others {
                // Titles of films without entries: never a generated film's title, so the
                // check "this film has an entry" cannot fire.
                let title = loop {
                    let title = self.title();
                    if !self.film_names.contains(&text::fold(&title)) {
                        break title;
                    }
                };
                let year = (person.born + 25 + self.rng.below(50) as u16).clamp(1900, 2025);
                let _ = writeln!(y, "  - title: {}", quote(&title));
                let _ = writeln!(y, "    year: {year}");
            }
        }
        y.push_str("sources:\n");
        let _ = writeln!(y, "  - {}", wiki_url(&person.name));
        Entry {
            kind: Kind::Composer,
            id: person.id.clone(),
            yaml: y,
            name: person.name.clone(),
        }
    }

    fn term(&mut self, earlier: &[String], films: &[String]) -> Entry {
        let term = loop {
            let term = if self.rng.percent(70) {
                format!(
                    "{} {}",
                    self.rng.skewed(TERM_MODIFIERS),
                    self.rng.skewed(TERM_NOUNS)
                )
            } else {
                format!(
                    "{} {} {}",
                    self.rng.skewed(TERM_MODIFIERS),
                    self.rng.pick(TERM_MODIFIERS),
                    self.rng.skewed(TERM_NOUNS)
                )
            };
            let mut chars = term.chars();
            let term = match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect::<String>(),
                None => continue,
            };
            if self.term_names.insert(text::fold(&term)) {
                break term;
            }
        };
        let id = self.id_for(&term, None);
        let mut y = String::with_capacity(900);
        y.push_str("# yaml-language-server: $schema=../schema/term.schema.json\n");
        let _ = writeln!(y, "term: {}", quote(&term));
        let definition = format!(
            "A {} device in film scoring: {} written so that it {} the picture. Composers use it to {}, and it is often played by {}.",
            self.rng.pick(MOODS),
            term.to_lowercase(),
            self.rng.pick(&[
                "follows",
                "anticipates",
                "contradicts",
                "underlines",
                "comments on"
            ]),
            self.rng.pick(&[
                "build tension",
                "mark a character",
                "bridge two scenes",
                "hide a cut",
                "release a climax"
            ]),
            self.rng.pick(INSTRUMENTS),
        );
        let _ = writeln!(y, "definition: {}", quote(&definition));
        if !earlier.is_empty() && self.rng.percent(50) {
            let mut related: Vec<String> = Vec::new();
            for _ in 0..1 + self.rng.below(3) {
                let r = self.rng.pick(earlier).clone();
                if !related.contains(&r) {
                    related.push(r);
                }
            }
            let _ = writeln!(y, "related: [{}]", related.join(", "));
        }
        if !films.is_empty() && self.rng.percent(40) {
            let _ = writeln!(y, "examples: [{}]", self.rng.pick(films));
        }
        y.push_str("sources:\n");
        let _ = writeln!(y, "  - {}", wiki_url(&term));
        Entry {
            kind: Kind::Term,
            id,
            yaml: y,
            name: term,
        }
    }
}

/// `text` as a double-quoted YAML scalar.
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// A YAML flow sequence of quoted strings.
fn flow(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| quote(i)).collect();
    format!("[{}]", quoted.join(", "))
}

/// A plausible source URL for `title`.
fn wiki_url(title: &str) -> String {
    let slug: String = title
        .chars()
        .map(|c| match c {
            ' ' => '_',
            '"' | '#' | '?' | '%' | '\'' => '_',
            c => c,
        })
        .collect();
    format!("https://en.wikipedia.org/wiki/{slug}")
}
