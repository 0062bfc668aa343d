from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def hotline(request):
    return render(request, "console/base.html")


@login_required
def roster(request):
    return render(request, "console/base.html")
