// GOV.UK Frontend's components (header menu, error summary, details, banners).
import { initAll } from "../govuk/govuk-frontend.min.js";

initAll();
