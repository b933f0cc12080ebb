from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from brokerage import selectors


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "frontend/home.html", {"figures": selectors.market_figures()})
