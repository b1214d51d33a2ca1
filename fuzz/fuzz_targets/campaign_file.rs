//! Any text given to the campaign-file reader gives a campaign or an error, and a campaign read
//! can compute a status.
#![no_main]

use jauge_cli::campaign_file::CampaignFile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(file) = CampaignFile::from_text(std::path::Path::new("/nonexistent/campaign.toml"), text) {
        let now = file.campaign.start();
        let _ = file.campaign.status([], now);
        let _ = file.budget.map(|b| b.gap());
    }
});
